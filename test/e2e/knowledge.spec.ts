import type { Page } from '@playwright/test';
import { MINI_D3FEND_TTL, makeMiniBundle } from '../fixtures/knowledge/mini-bundle';
import { expect, test } from './fixtures';

/**
 * The knowledge base in Chromium with the built extension, sources served from 127.0.0.1: an import through the
 * background (`kb.update`), id lookups, every failure leaving the knowledge in use (HTTP error, not JSON), the
 * service worker stopped in the middle of an import (the previous knowledge survives and the analyst is told), and
 * finally the real ATT&CK v18.1 enterprise bundle + D3FEND.
 */
test.setTimeout(600_000);

interface Status {
  state: 'empty' | 'ready';
  active: {
    generation: number;
    sources: { origin: string; version: string | null }[];
    counts: Record<string, number>;
  } | null;
  progress: { phase: string } | null;
  lastError: { message: string } | null;
}

const send = <T>(page: Page, message: object): Promise<T> =>
  page.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<T>;
const status = (page: Page) => send<Status>(page, { type: 'kb.status' });

async function setSources(page: Page, enterpriseUrl: string, d3fendUrl: string): Promise<void> {
  await page.evaluate(
    async ([enterprise, d3fend]) => {
      const key = 'riposte.settings';
      const stored = ((await chrome.storage.local.get(key))[key] ?? {}) as Record<string, unknown>;
      const knowledge = (stored.knowledge ?? {}) as Record<string, unknown>;
      await chrome.storage.local.set({
        [key]: {
          ...stored,
          knowledge: {
            ...knowledge,
            enterpriseUrl: enterprise,
            d3fendUrl: d3fend,
            includeMobile: false,
            includeIcs: false,
            autoUpdate: false,
          },
        },
      });
    },
    [enterpriseUrl, d3fendUrl] as const,
  );
}

test('imports through the background, survives failures and a stopped service worker, then real ATT&CK + D3FEND', async ({
  ext,
  server,
  extensionPage,
}) => {
  const mini = JSON.stringify(makeMiniBundle({ lsassName: 'LSASS Memory (mini)' }));
  server.route((req, res) => {
    const routes: Record<string, [string, string]> = {
      '/kb/mini-attack.json': ['application/json', mini],
      '/kb/mini-d3fend.ttl': ['text/turtle', MINI_D3FEND_TTL],
      '/kb/portal.json': ['text/html', '<!doctype html><title>Sign in to the proxy</title>'],
    };
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return false;
    res.writeHead(200, { 'content-type': route[0], etag: '"e2e"' }).end(route[1]);
    return true;
  });
  const miniAttack = `${server.origin}/kb/mini-attack.json`;
  const miniD3fend = `${server.origin}/kb/mini-d3fend.ttl`;

  const options = await extensionPage('options.html');
  await setSources(options, miniAttack, miniD3fend);
  // A first-run download of the default (GitHub) sources may have started before the settings changed.
  await expect.poll(async () => (await status(options)).progress, { timeout: 120_000 }).toBeNull();

  let generation = 0;
  await test.step('import from the local server through kb.update', async () => {
    expect(await send(options, { type: 'kb.update', wait: true })).toEqual({
      started: true,
      outcome: { ok: true, updated: true },
    });
    const s = await status(options);
    expect(s.state).toBe('ready');
    expect(s.lastError).toBeNull();
    expect(s.active?.sources.map((x) => x.origin)).toEqual([miniAttack, miniD3fend]);
    generation = s.active?.generation ?? 0;
    expect(
      await send(options, { type: 'kb.lookup', ids: ['T1003.001', 'T1086', 'T9999', 'D3-PSA'] }),
    ).toEqual({
      ready: true,
      entries: {
        'T1003.001': { status: 'current', name: 'LSASS Memory (mini)' },
        T1086: { status: 'revoked', name: 'PowerShell', replacedBy: { id: 'T1059.001', name: 'PowerShell' } },
        T9999: { status: 'unknown' },
        'D3-PSA': { status: 'current', name: 'Process Spawn Analysis' },
      },
    });
  });

  const failures: [string, string, RegExp][] = [
    ['an HTTP error', `${server.origin}/kb/missing.json`, /missing\.json answered HTTP 404/],
    ['a page that is not JSON', `${server.origin}/kb/portal.json`, /portal\.json is not JSON/],
  ];
  for (const [what, url, message] of failures) {
    await test.step(`${what} leaves the knowledge in use`, async () => {
      await setSources(options, url, miniD3fend);
      const reply = await send<{ outcome: { ok: boolean; error?: string } }>(options, {
        type: 'kb.update',
        wait: true,
      });
      expect(reply.outcome.ok).toBe(false);
      expect(reply.outcome.error).toMatch(message);
      const s = await status(options);
      expect(s.active?.generation).toBe(generation);
      expect(s.lastError?.message).toMatch(message);
      expect(s.lastError?.message).toMatch(/previous knowledge is still in use/);
      const lookup = await send<{ entries: Record<string, { name?: string }> }>(options, {
        type: 'kb.lookup',
        ids: ['T1003.001'],
      });
      expect(lookup.entries['T1003.001']?.name).toBe('LSASS Memory (mini)');
    });
  }

  await test.step('the service worker stopped mid-import: the previous knowledge stays, the analyst is told', async () => {
    await setSources(
      options,
      `${server.origin}/shared/attack/enterprise-attack-18.1.json.gz`,
      `${server.origin}/shared/d3fend/d3fend-protege.ttl.gz`,
    );
    expect(await send(options, { type: 'kb.update' })).toEqual({ started: true });
    await expect
      .poll(async () => (await status(options)).progress?.phase ?? 'none', {
        timeout: 300_000,
        intervals: [100],
      })
      .toMatch(/^(parse|build|write)$/);
    // What Chrome does to an extension's worker at any time: stop it (DevTools' "Stop" on the worker).
    const cdp = await ext.context.newCDPSession(options);
    const versions: { versionId: string; scriptURL: string; runningStatus: string }[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => versions.push(...event.versions));
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => versions.some((v) => v.scriptURL.includes(ext.extensionId))).toBe(true);
    const worker = versions.find((v) => v.scriptURL.includes(ext.extensionId));
    await cdp.send('ServiceWorker.stopWorker', { versionId: worker?.versionId ?? '' });
    await expect.poll(() => versions.at(-1)?.runningStatus).toBe('stopped');
    await cdp.detach();
    // The next message starts a new worker, which finds the half-written import.
    await expect
      .poll(async () => (await status(options)).lastError?.message ?? '', { timeout: 60_000 })
      .toMatch(/interrupted.*previous knowledge is still in use/);
    const s = await status(options);
    expect(s.progress).toBeNull();
    expect(s.active?.generation).toBe(generation);
    const lookup = await send<{ entries: Record<string, { name?: string }> }>(options, {
      type: 'kb.lookup',
      ids: ['T1003.001'],
    });
    expect(lookup.entries['T1003.001']?.name).toBe('LSASS Memory (mini)');
  });

  await test.step('the real ATT&CK v18.1 enterprise bundle and D3FEND', async () => {
    expect(await send(options, { type: 'kb.update', wait: true })).toEqual({
      started: true,
      outcome: { ok: true, updated: true },
    });
    const s = await status(options);
    expect(s.lastError).toBeNull();
    expect(s.active?.sources.map((x) => x.version)).toEqual(['18.1', null]);
    expect(s.active?.counts).toMatchObject({ techniques: 216, subtechniques: 475, groups: 172 });
    expect(s.active?.counts.techniquesWithCountermeasures).toBeGreaterThan(300);
    const lookup = await send(options, { type: 'kb.lookup', ids: ['T1003.001', 'T1086', 'G0016', 'T9999'] });
    expect(lookup).toEqual({
      ready: true,
      entries: {
        'T1003.001': { status: 'current', name: 'LSASS Memory' },
        T1086: { status: 'revoked', name: 'PowerShell', replacedBy: { id: 'T1059.001', name: 'PowerShell' } },
        G0016: { status: 'current', name: 'APT29' },
        T9999: { status: 'unknown' },
      },
    });
  });
});
