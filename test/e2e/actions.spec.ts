import { readFile } from 'node:fs/promises';
import type { ConsoleMessage, Page } from '@playwright/test';
import { startCrowdStrikeEmulator } from '../emulators/crowdstrike';
import { startDefenderEmulator } from '../emulators/defender';
import { startElasticEmulator } from '../emulators/elastic';
import { startSentinelOneEmulator } from '../emulators/sentinelone';
import type { EmulatorHandle } from '../emulators/server';
import { startSplunkSoarEmulator } from '../emulators/splunk-soar';
import { startWebhookEmulator } from '../emulators/webhook';
import { startXsoarEmulator } from '../emulators/xsoar';
import {
  addConnector,
  ask,
  auditRows,
  clickCardButton,
  Gestures,
  hostPermissions,
  hoverIndicator,
  serveConsole,
  sidePanel,
} from './actions-helpers';
import { evaluateInContentScript } from './content-world';
import { expect, tabIdOf, test } from './fixtures';

/**
 * Issue 8 / 9 end to end: a connector configured in the options page against a vendor emulator, an indicator
 * hovered on a console page, the action chosen in the hover card and confirmed in the side panel; what the
 * emulator received, what the audit log says, how many gestures it took, and that the secret never leaks.
 */

const IOC_POST = 'POST /iocs/entities/indicators/v1';

async function optionsPage(extensionPage: (p: string) => Promise<Page>): Promise<Page> {
  const options = await extensionPage('options.html');
  await expect(options.getByLabel('Connector type')).toBeVisible();
  return options;
}

async function crowdStrikeConnector(
  ext: Parameters<typeof addConnector>[0],
  options: Page,
  emu: Awaited<ReturnType<typeof startCrowdStrikeEmulator>>,
) {
  await addConnector(ext, options, {
    vendor: 'crowdstrike',
    label: 'Falcon EU',
    fields: {
      baseUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      networkAction: 'prevent',
    },
    origins: [emu.url],
  });
}

test.describe('one-click response (CrowdStrike Falcon emulator)', () => {
  test.setTimeout(120_000);

  test('block an IP from the hover card in 3 gestures: one correct IOC, audited, secret nowhere', async ({
    ext,
    server,
    extensionPage,
  }) => {
    const consoleLines: string[] = [];
    const collect = (where: string) => (m: ConsoleMessage) => consoleLines.push(`${where}: ${m.text()}`);
    ext.context.on('console', collect('page'));
    ext.serviceWorker.on('console', collect('worker'));
    const emu = await startCrowdStrikeEmulator();
    try {
      const options = await optionsPage(extensionPage);
      // getAll() also lists the content script's match patterns; what Save requests is what matters here
      const requested = async () =>
        (await hostPermissions(ext)).filter((o) => o !== 'http://*/*' && o !== 'https://*/*');
      expect(await requested()).toEqual([]);
      await crowdStrikeConnector(ext, options, emu);
      // Saving asked for exactly the connector's origin, never the whole web.
      expect(await requested()).toEqual([`${emu.url}/*`]);
      await expect(options.locator('.instance-row', { hasText: 'Falcon EU' })).toContainText('CrowdStrike');
      // Test connection from the edit form: secret blank = the stored one is used.
      await options
        .locator('.instance-row', { hasText: 'Falcon EU' })
        .getByRole('button', { name: 'Edit' })
        .click();
      await expect(options.locator('input[name="clientSecret"]')).toHaveValue('');
      await expect(options.locator('form.connector-editor')).toContainText('set');
      await options.getByRole('button', { name: 'Test connection' }).click();
      await expect(options.getByTestId('connector-status')).toBeVisible();
      const testStatus = await options.getByTestId('connector-status').textContent();
      expect(emu.requestsTo('POST /oauth2/token').length).toBeGreaterThanOrEqual(1);

      const page = await ext.context.newPage();
      await page.goto(serveConsole(server));
      const tabId = await tabIdOf(ext, page);
      const gestures = new Gestures();
      const card = await hoverIndicator(page, ext, '93.184.216.34', gestures);
      expect(Object.keys(card?.buttons ?? {})).toContain('Block');
      await clickCardButton(page, 'Block', gestures);
      const { panel, real } = await sidePanel(ext, tabId);
      const sheet = panel.getByRole('dialog', { name: 'Confirm action' });
      await expect(sheet).toContainText('Falcon EU');
      await expect(sheet).toContainText('Block IP address');
      await expect(sheet).toContainText('93.184.216.34');
      await expect(sheet).toContainText('D3-ITF');
      // Nothing is sent before the confirmation.
      expect(emu.requestsTo(IOC_POST)).toHaveLength(0);
      await panel.screenshot({ path: test.info().outputPath('confirmation.png') });
      await sheet.getByRole('button', { name: 'Confirm' }).click();
      gestures.clicks += 1;
      await expect.poll(() => emu.requestsTo(IOC_POST).length).toBe(1);
      expect(gestures.total).toBeLessThanOrEqual(3);
      console.log(
        `gestures for a block: ${gestures.hovers} hover + ${gestures.clicks} clicks (${real ? 'real side panel' : 'panel tab'})`,
      );
      test.info().annotations.push({
        type: 'gestures',
        description: `block: ${gestures.hovers} hover + ${gestures.clicks} clicks (${real ? 'real side panel' : 'panel tab'})`,
      });

      const sent = emu.requestsTo(IOC_POST)[0]?.json as { indicators: Array<Record<string, unknown>> };
      expect(sent.indicators).toHaveLength(1);
      expect(sent.indicators[0]).toMatchObject({ type: 'ipv4', value: '93.184.216.34', action: 'prevent' });
      expect(emu.iocs.size).toBe(1);
      const iocId = [...emu.iocs.keys()][0] as string;

      // Live status in the panel: done, with the vendor's reference.
      const row = panel.locator('.operation', { hasText: '93.184.216.34' });
      await expect(row).toHaveAttribute('data-state', 'done');
      await expect(row).toContainText(iocId);
      await expect(row.getByRole('button', { name: 'Undo' })).toBeVisible();

      // The audit log shows it, in the panel and in the exports.
      await panel.getByRole('button', { name: 'Audit log' }).click();
      const log = panel.getByRole('dialog', { name: 'Audit log' });
      await expect(log.locator('.audit-entry[data-result="done"]')).toContainText('93.184.216.34');
      await expect(log.locator('.audit-entry[data-result="done"]')).toContainText(iocId);
      await panel.screenshot({ path: test.info().outputPath('audit.png') });
      const exports: string[] = [];
      for (const label of ['Export CSV', 'Export JSON']) {
        const [download] = await Promise.all([
          panel.waitForEvent('download'),
          log.getByRole('button', { name: label }).click(),
        ]);
        exports.push(await readFile((await download.path()) as string, 'utf8'));
      }
      expect(exports[0]).toContain('93.184.216.34');
      expect(exports[0]).toContain(iocId);
      expect(JSON.parse(exports[1] as string)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ target: '93.184.216.34', result: 'done', reference: iocId }),
        ]),
      );

      // The secret is nowhere a person, a page or a content script could see it.
      const secret = emu.clientSecret;
      const optionsText = await options.content();
      const optionsValues = await options.evaluate(() =>
        [...document.querySelectorAll('input, textarea')]
          .map((i) => (i as HTMLInputElement).value)
          .join('\n'),
      );
      const panelText = await panel.content();
      const pageText = await page.content();
      const contentStorage = await evaluateInContentScript<string>(
        page,
        ext.extensionId,
        `(async () => {
          const out = [];
          for (const area of ['local', 'session', 'sync']) {
            try { out.push(JSON.stringify(await chrome.storage[area].get(null))); }
            catch (e) { out.push(area + ' refused: ' + e.message); }
          }
          for (const type of ['connectors.list', 'actions.audit', 'actions.auditExport']) {
            try { out.push(JSON.stringify(await chrome.runtime.sendMessage({ type, format: 'json', filter: {} }))); }
            catch (e) { out.push(type + ' failed: ' + e.message); }
          }
          return out.join('\\n');
        })()`,
      );
      expect(contentStorage).toContain('may not be sent from a content script');
      const listed = await ask<unknown>(options, { type: 'connectors.list' });
      for (const [where, text] of [
        ['options page HTML', optionsText],
        ['options inputs', optionsValues],
        ['side panel HTML', panelText],
        ['console page HTML', pageText],
        ['content-script storage and messages', contentStorage],
        ['connectors.list reply', JSON.stringify(listed)],
        ['CSV export', exports[0]],
        ['JSON export', exports[1]],
        ['Test connection status', testStatus ?? ''],
        ['console messages', consoleLines.join('\n')],
      ] as const) {
        expect(text, where).not.toContain(secret);
      }
    } finally {
      await emu.close();
    }
  });

  test('faults: 429 then success is one IOC; repeated 500 fails clearly without a duplicate; an expired token is refreshed once; a protected IP is refused without a request', async ({
    ext,
    server,
    extensionPage,
  }) => {
    const emu = await startCrowdStrikeEmulator();
    try {
      const options = await optionsPage(extensionPage);
      await crowdStrikeConnector(ext, options, emu);
      // The protected list, edited in the options page.
      await options.locator('textarea[name="protected"]').fill('8.8.4.4');
      await options.getByRole('button', { name: 'Save protected list' }).click();
      await expect(options.getByRole('status').first()).toContainText('Saved');

      const page = await ext.context.newPage();
      await page.goto(serveConsole(server));
      const tabId = await tabIdOf(ext, page);
      const gestures = new Gestures();
      const block = async (ip: string) => {
        await hoverIndicator(page, ext, ip, gestures);
        await clickCardButton(page, 'Block', gestures);
        const { panel } = await sidePanel(ext, tabId);
        const sheet = panel.getByRole('dialog', { name: 'Confirm action' });
        await expect(sheet).toContainText(ip);
        return { panel, sheet };
      };
      const postsFor = (ip: string) =>
        emu.requestsTo(IOC_POST).filter((r) => JSON.stringify(r.json).includes(ip)).length;
      const iocsFor = (ip: string) => [...emu.iocs.values()].filter((i) => i.value === ip).length;

      // 429 with Retry-After, then success: exactly one IOC.
      emu.setFault({ match: IOC_POST, status: 429, retryAfter: '1', times: 1 });
      let { panel, sheet } = await block('1.0.0.1');
      await sheet.getByRole('button', { name: 'Confirm' }).click();
      await expect(panel.locator('.operation', { hasText: '1.0.0.1' })).toHaveAttribute(
        'data-state',
        'done',
        {
          timeout: 20_000,
        },
      );
      expect(postsFor('1.0.0.1')).toBe(2);
      expect(iocsFor('1.0.0.1')).toBe(1);

      // Repeated 500: failed, with a message a person can act on, and no duplicate.
      emu.setFault({ match: IOC_POST, status: 500, times: Number.POSITIVE_INFINITY });
      ({ panel, sheet } = await block('9.9.9.9'));
      await sheet.getByRole('button', { name: 'Confirm' }).click();
      const failed = panel.locator('.operation', { hasText: '9.9.9.9' });
      await expect(failed).toHaveAttribute('data-state', 'failed', { timeout: 45_000 });
      const failure = (await failed.locator('.op-message').textContent()) ?? '';
      expect(failure).toMatch(/CrowdStrike|Falcon/);
      expect(failure).toMatch(/500|server error|try again/i);
      expect(iocsFor('9.9.9.9')).toBe(0);
      emu.clearFaults();

      // An expired token: one 401, one new token, one IOC.
      const tokensBefore = emu.requestsTo('POST /oauth2/token').length;
      emu.expireTokens();
      ({ panel, sheet } = await block('149.112.112.112'));
      await sheet.getByRole('button', { name: 'Confirm' }).click();
      await expect(panel.locator('.operation', { hasText: '149.112.112.112' })).toHaveAttribute(
        'data-state',
        'done',
      );
      expect(emu.requestsTo('POST /oauth2/token').length - tokensBefore).toBe(1);
      expect(iocsFor('149.112.112.112')).toBe(1);

      // A protected IP: refused with the reason, nothing sent, the refusal audited.
      const before = emu.requests.length;
      ({ panel, sheet } = await block('8.8.4.4'));
      await expect(sheet).toContainText('protected list');
      await expect(sheet.getByRole('button', { name: 'Confirm' })).toHaveCount(0);
      await sheet.getByRole('button', { name: 'Close' }).click();
      expect(emu.requests.length).toBe(before);
      expect(postsFor('8.8.4.4')).toBe(0);
      const rows = await auditRows(panel);
      expect(rows.filter((r) => r.target === '8.8.4.4' && r.result === 'refused')).toHaveLength(1);
      expect(
        rows.filter((r) => r.target === '9.9.9.9' && r.phase === 'outcome' && r.result === 'failed'),
      ).toHaveLength(1);
    } finally {
      await emu.close();
    }
  });
});

/** Stops the extension's service worker the way DevTools' "Stop" does (CDP `ServiceWorker.stopWorker`). */
async function stopServiceWorker(ext: Parameters<typeof addConnector>[0], from: Page): Promise<void> {
  const cdp = await from.context().newCDPSession(from);
  try {
    const versions: Array<{ versionId: string; scriptURL: string; runningStatus: string }> = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: typeof versions }) =>
      versions.push(...e.versions),
    );
    await cdp.send('ServiceWorker.enable');
    await expect
      .poll(() =>
        versions.some((v) => v.scriptURL.includes(ext.extensionId) && v.runningStatus === 'running'),
      )
      .toBe(true);
    const running = versions.filter(
      (v) => v.scriptURL.includes(ext.extensionId) && v.runningStatus === 'running',
    );
    for (const v of running) await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
    await expect
      .poll(() => {
        const latest = new Map(versions.map((v) => [v.versionId, v.runningStatus]));
        return [...latest.values()].every((s) => s === 'stopped');
      })
      .toBe(true);
  } finally {
    await cdp.detach();
  }
}

test.describe('isolation and restarts', () => {
  test.setTimeout(180_000);

  test('isolate a host in 4 gestures with a second confirmation naming it; the worker is stopped while it is pending and it still completes, audited once', async ({
    ext,
    server,
    extensionPage,
  }) => {
    const emu = await startCrowdStrikeEmulator({
      hosts: [{ hostname: 'ws-0231.example.com' }],
      containmentPolls: 1,
    });
    try {
      const options = await optionsPage(extensionPage);
      await crowdStrikeConnector(ext, options, emu);
      const page = await ext.context.newPage();
      await page.goto(serveConsole(server));
      const tabId = await tabIdOf(ext, page);
      const gestures = new Gestures();
      await hoverIndicator(page, ext, 'ws-0231.example.com', gestures);
      await clickCardButton(page, 'Isolate host', gestures);
      const { panel } = await sidePanel(ext, tabId);
      const sheet = panel.getByRole('dialog', { name: 'Confirm action' });
      await expect(sheet).toContainText('Isolate host');
      await expect(sheet).toContainText('ws-0231.example.com');
      await expect(sheet).toContainText('D3-NI');
      await sheet.getByRole('button', { name: 'Confirm' }).click();
      gestures.clicks += 1;
      // the second confirmation names the host, and its button stays off until the name is typed
      await expect(sheet).toContainText('Type the host name ws-0231.example.com');
      const isolate = sheet.getByRole('button', { name: 'Isolate ws-0231.example.com' });
      await expect(isolate).toBeDisabled();
      expect(emu.requestsTo('POST /devices/entities/devices-actions/v2')).toHaveLength(0);
      await sheet.locator('input[name="second-confirmation"]').fill('ws-0231.example.com');
      await isolate.click();
      gestures.clicks += 1;
      await expect.poll(() => emu.requestsTo('POST /devices/entities/devices-actions/v2').length).toBe(1);
      expect(gestures.total).toBeLessThanOrEqual(4);
      console.log(`gestures for an isolation: ${gestures.hovers} hover + ${gestures.clicks} clicks`);
      const contain = emu.requestsTo('POST /devices/entities/devices-actions/v2')[0];
      expect(contain?.query.action_name).toBe('contain');
      expect(contain?.json).toEqual({ ids: [emu.hosts[0]?.device_id] });

      const row = panel.locator('.operation', { hasText: 'ws-0231.example.com' });
      await expect(row).toHaveAttribute('data-state', 'pending');
      const operationId = (await row.getAttribute('data-operation-id')) as string;

      // Stop the service worker while the isolation is pending; nothing may wake it but its alarm.
      // (the panel polls the background, so it goes first; the console page and the options page stay open and
      // quiet, so that only the alarm can wake the worker again)
      await panel.close();
      // DevTools' "Stop"; it returns once CDP reports the worker's version as stopped
      await stopServiceWorker(ext, options);
      const stoppedAt = Date.now();
      expect(emu.hosts[0]?.status, 'still pending when the worker stopped').toBe('containment_pending');
      const readsBefore = emu.requestsTo('GET /devices/entities/devices/v2').length;
      await expect
        .poll(() => emu.hosts[0]?.status, { timeout: 100_000, intervals: [1000] })
        .toBe('contained');
      // the status reads that completed it came after the stop: the alarm woke the worker again
      expect(emu.requestsTo('GET /devices/entities/devices/v2').length).toBeGreaterThan(readsBefore);
      console.log(
        `isolation completed ${Math.round((Date.now() - stoppedAt) / 1000)} s after the worker was stopped`,
      );
      await options.close();
      await page.close();

      const viewer = await extensionPage(`sidepanel.html?tabId=${tabId}`);
      await expect
        .poll(
          async () =>
            (await auditRows(viewer)).filter((r) => r.operationId === operationId && r.phase === 'outcome')
              .length,
          {
            timeout: 30_000,
          },
        )
        .toBe(1);
      const rows = (await auditRows(viewer)).filter((r) => r.operationId === operationId);
      expect(rows.filter((r) => r.phase === 'outcome')).toEqual([
        expect.objectContaining({ result: 'done' }),
      ]);
      expect(rows.filter((r) => r.phase === 'attempt')).toHaveLength(1);
      expect(emu.requestsTo('POST /devices/entities/devices-actions/v2')).toHaveLength(1);
      const status = await ask<{ operations: Array<{ state: string }> }>(viewer, {
        type: 'actions.status',
        operationIds: [operationId],
      });
      expect(status.operations[0]?.state).toBe('done');
    } finally {
      await emu.close();
    }
  });
});

interface VendorCase {
  vendor: string;
  label: string;
  start: () => Promise<EmulatorHandle & Record<string, unknown>>;
  fields: (emu: never) => Record<string, string>;
  indicator: string;
  button: string;
  /** The typed second confirmation, for isolation. */
  second?: string;
  /** What the vendor holds afterwards that this action created. */
  created: (emu: never) => number;
  /** How many of them (default 1; SentinelOne adds one blocklist entry per OS type). */
  expected?: number;
}

const VENDORS: VendorCase[] = [
  {
    vendor: 'defender',
    label: 'MDE Contoso',
    start: () => startDefenderEmulator() as never,
    fields: (e: Awaited<ReturnType<typeof startDefenderEmulator>>) => ({
      baseUrl: e.url,
      tokenUrl: e.tokenUrl,
      tenantId: e.tenantId,
      clientId: e.clientId,
      clientSecret: e.clientSecret,
    }),
    indicator: '93.184.216.34',
    button: 'Block',
    created: (e: Awaited<ReturnType<typeof startDefenderEmulator>>) =>
      [...e.indicators.values()].filter((i) => JSON.stringify(i).includes('93.184.216.34')).length,
  },
  {
    vendor: 'sentinelone',
    label: 'S1 console',
    start: () => startSentinelOneEmulator() as never,
    fields: (e: Awaited<ReturnType<typeof startSentinelOneEmulator>>) => ({
      baseUrl: e.url,
      apiToken: e.apiToken,
    }),
    indicator: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    button: 'Block',
    created: (e: Awaited<ReturnType<typeof startSentinelOneEmulator>>) =>
      [...e.restrictions.values()].filter((r) =>
        JSON.stringify(r).includes('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'),
      ).length,
    expected: 3,
  },
  {
    vendor: 'elastic',
    label: 'Elastic SOC space',
    start: () => startElasticEmulator({ hosts: ['ws-0231.example.com'] }) as never,
    fields: (e: Awaited<ReturnType<typeof startElasticEmulator>>) => ({ baseUrl: e.url, apiKey: e.apiKey }),
    indicator: 'ws-0231.example.com',
    button: 'Isolate host',
    second: 'ws-0231.example.com',
    created: (e: Awaited<ReturnType<typeof startElasticEmulator>>) =>
      e.endpoints.filter((x) => x.isolated).length,
  },
  {
    vendor: 'splunk-soar',
    label: 'SOAR prod',
    start: () => startSplunkSoarEmulator() as never,
    fields: (e: Awaited<ReturnType<typeof startSplunkSoarEmulator>>) => ({
      baseUrl: e.url,
      authToken: e.token,
    }),
    indicator: '93.184.216.34',
    button: 'Open a case',
    created: (e: Awaited<ReturnType<typeof startSplunkSoarEmulator>>) => e.containers.length,
  },
  {
    vendor: 'xsoar',
    label: 'XSOAR 8',
    start: () => startXsoarEmulator() as never,
    fields: (e: Awaited<ReturnType<typeof startXsoarEmulator>>) => ({
      version: e.version,
      baseUrl: e.url,
      apiKey: e.apiKey,
      apiKeyId: e.apiKeyId,
    }),
    indicator: 'bad-cdn.example.net',
    button: 'Open a case',
    created: (e: Awaited<ReturnType<typeof startXsoarEmulator>>) => e.incidents.length,
  },
  {
    vendor: 'webhook',
    label: 'Tines story',
    start: () => startWebhookEmulator() as never,
    fields: (e: Awaited<ReturnType<typeof startWebhookEmulator>>) => ({ url: e.hookUrl }),
    indicator: 'bad-cdn.example.net',
    button: 'Block',
    created: (e: Awaited<ReturnType<typeof startWebhookEmulator>>) => e.received.length,
  },
];

test.describe('the confirm flow for every other vendor', () => {
  test.setTimeout(120_000);
  for (const v of VENDORS) {
    test(`${v.vendor}: ${v.button} ${v.indicator} from the hover card, confirmed in the side panel`, async ({
      ext,
      server,
      extensionPage,
    }) => {
      const emu = await v.start();
      try {
        const options = await optionsPage(extensionPage);
        await addConnector(ext, options, {
          vendor: v.vendor,
          label: v.label,
          fields: v.fields(emu as never),
          origins: [emu.url],
        });
        const page = await ext.context.newPage();
        await page.goto(serveConsole(server));
        const tabId = await tabIdOf(ext, page);
        const gestures = new Gestures();
        await hoverIndicator(page, ext, v.indicator, gestures);
        await clickCardButton(page, v.button, gestures);
        const { panel } = await sidePanel(ext, tabId);
        const sheet = panel.getByRole('dialog', { name: 'Confirm action' });
        await expect(sheet).toContainText(v.label);
        await expect(sheet).toContainText(v.indicator);
        const before = emu.requests.length;
        await sheet.getByRole('button', { name: 'Confirm' }).click();
        gestures.clicks += 1;
        if (v.second) {
          await sheet.locator('input[name="second-confirmation"]').fill(v.second);
          await sheet.getByRole('button', { name: `Isolate ${v.second}` }).click();
          gestures.clicks += 1;
        }
        expect(gestures.total).toBeLessThanOrEqual(v.second ? 4 : 3);
        const row = panel.locator('.operation', { hasText: v.indicator });
        await expect(row).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
        expect(emu.requests.length).toBeGreaterThan(before);
        expect(v.created(emu as never)).toBe(v.expected ?? 1);
        const outcomes = (await auditRows(panel)).filter(
          (r) => r.vendor === v.vendor && r.phase === 'outcome' && r.target === v.indicator,
        );
        expect(outcomes).toEqual([expect.objectContaining({ result: 'done' })]);
      } finally {
        await emu.close();
      }
    });
  }
});
