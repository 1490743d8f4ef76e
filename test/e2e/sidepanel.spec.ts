import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { z } from 'zod';
import { StixBundleSchema } from '../unit/export/stix-schema';
import { expect, tabIdOf, test } from './fixtures';

/**
 * The side panel on the built extension, opened as a tab with `?tabId=` on the fixture console. These tests cover
 * what needs no imported knowledge: the list, its grouping and scope marks, reveal, filter, keyboard, live updates,
 * exports, themes. The knowledge parts (cards, search, tactic strip) are in sidepanel-knowledge.spec.ts.
 */
// The machine running the suite may be busy: launching Chromium alone can take tens of seconds.
test.describe.configure({ timeout: 120_000 });

type Counted = { type: string; value: string; count: number; scope?: string };

async function backgroundIndicators(panel: Page, tabId: number): Promise<Counted[]> {
  const reply = (await panel.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id }),
    tabId,
  )) as { indicators?: Counted[] };
  return reply.indicators ?? [];
}

async function openPanelOn(
  ext: Parameters<typeof tabIdOf>[0],
  extensionPage: (path: string) => Promise<Page>,
  target: Page,
) {
  const tabId = await tabIdOf(ext, target);
  const panel = await extensionPage(`sidepanel.html?tabId=${tabId}`);
  await panel.setViewportSize({ width: 360, height: 2400 });
  return { tabId, panel };
}

async function saved(download: Download): Promise<string> {
  const file = await download.path();
  return readFile(file, 'utf8');
}

test('the list matches what the page shows: grouped by type with counts, private and documentation IPs marked', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const { tabId, panel } = await openPanelOn(ext, extensionPage, page);
  await expect(panel.locator('[data-value="198.51.100.23"]')).toBeVisible();
  const expected = await backgroundIndicators(panel, tabId);
  // The fixture's indicators, read from the page independently of the panel.
  for (const value of [
    '10.20.4.31',
    '198.51.100.23',
    'c2.badcdn.net',
    'billing@invoices-secure-payments.com',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'T1059.001',
    'CVE-2023-23397',
  ])
    expect(expected.map((i) => i.value)).toContain(value);

  const rows = await panel
    .locator('[role="listitem"][data-value]')
    .evaluateAll((els) =>
      els.map((el) => `${el.getAttribute('data-type')}:${el.getAttribute('data-value')}`),
    );
  expect(rows.sort()).toEqual(expected.map((i) => `${i.type}:${i.value}`).sort());

  // One heading per type, with the number of indicators of that type.
  const byType = new Map<string, number>();
  for (const i of expected) byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
  const headings = await panel.locator('.group-toggle').allInnerTexts();
  expect(headings).toHaveLength(byType.size);
  const ipv4Heading = headings.find((h) => h.includes('IPv4'));
  expect(ipv4Heading).toContain(String(byType.get('ipv4')));

  // Scopes are marked: 10.20.4.31 is private, 198.51.100.23 is in a documentation range.
  await expect(panel.locator('[data-value="10.20.4.31"] .tag')).toHaveText('private');
  await expect(panel.locator('[data-value="198.51.100.23"] .tag')).toHaveText('documentation');
  // Counts: 10.20.4.31 appears several times on the page.
  const count = expected.find((i) => i.value === '10.20.4.31')?.count ?? 0;
  expect(count).toBeGreaterThan(1);
  await expect(panel.locator('[data-value="10.20.4.31"] .times')).toHaveText(`×${count}`);
});

test('filter, fold a group, and move through the list with the keyboard', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const { panel } = await openPanelOn(ext, extensionPage, page);
  await expect(panel.locator('[data-value="198.51.100.23"]')).toBeVisible();

  await panel.getByLabel('Filter indicators').fill('invoices');
  await expect(panel.locator('[role="listitem"]')).not.toHaveCount(0);
  for (const value of await panel
    .locator('[role="listitem"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-value') ?? '')))
    expect(value).toContain('invoices');
  await panel.getByLabel('Filter indicators').fill('t1059');
  await expect(panel.locator('[role="listitem"][data-value="T1059.001"]')).toBeVisible();
  await panel.getByLabel('Filter indicators').fill('');

  const ipv4 = panel.locator('.group-toggle', { hasText: 'IPv4' });
  await ipv4.click();
  await expect(ipv4).toHaveAttribute('aria-expanded', 'false');
  await expect(panel.locator('[role="listitem"][data-type="ipv4"]')).toHaveCount(0);
  await ipv4.press('Enter');
  await expect(panel.locator('[role="listitem"][data-type="ipv4"]')).not.toHaveCount(0);

  const first = panel.locator('[role="listitem"] .value').first();
  await first.focus();
  const firstValue = await first.textContent();
  const focusedValue = () =>
    panel.evaluate(
      () => document.activeElement?.closest('[role="listitem"]')?.getAttribute('data-value') ?? null,
    );
  expect(await focusedValue()).toBe(firstValue);
  await panel.keyboard.press('ArrowDown');
  // The next row takes the focus (a row out of view may take a frame or two to be rendered first).
  await expect.poll(focusedValue).not.toBe(firstValue);
  expect(await focusedValue()).toBeTruthy();
  // End reaches the last indicator of the list, whichever rows the virtualiser had rendered.
  await panel.keyboard.press('End');
  await expect
    .poll(() =>
      panel.evaluate(() => {
        const row = document.activeElement?.closest('[role="listitem"]');
        return row ? `${row.getAttribute('aria-posinset')} of ${row.getAttribute('aria-setsize')}` : null;
      }),
    )
    .toMatch(/^(\d+) of \1$/);
});

test('clicking an indicator scrolls the page to it', async ({ ext, server, extensionPage }) => {
  server.route((req, res) => {
    if (req.url !== '/long.html') return false;
    const filler = '<p>Routine log line without anything of interest.</p>'.repeat(400);
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><title>Long</title><body>${filler}<p id="far">Beacon to 203.0.113.200 seen.</p></body>`,
      );
    return true;
  });
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(`${server.url}long.html`);
  const { panel } = await openPanelOn(ext, extensionPage, page);
  const row = panel.locator('[data-value="203.0.113.200"] .value');
  await expect(row).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await row.click();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
});

test('the panel follows the page live, without reloading, and shows new indicators', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const { panel } = await openPanelOn(ext, extensionPage, page);
  await expect(panel.locator('[data-value="198.51.100.23"]')).toBeVisible();
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'New beacon: 203.0.113.99 and evil-new-domain.example.net';
    document.body.append(p);
  });
  await expect(panel.locator('[data-value="203.0.113.99"]')).toBeVisible();
  // A navigation of the tab replaces the list.
  await page.goto(`${server.url}frames.html`);
  await expect(panel.locator('[data-value="198.51.100.23"]')).toHaveCount(0);
  await expect(panel.locator('[data-value="203.0.113.77"]')).toBeVisible();
});

const NavigatorLayerSchema = z.object({
  name: z.string().min(1),
  versions: z.object({ attack: z.string().regex(/^\d+$/), navigator: z.string(), layer: z.literal('4.5') }),
  domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']),
  description: z.string(),
  techniques: z.array(
    z.object({
      techniqueID: z.string().regex(/^T\d{4}(\.\d{3})?$/),
      score: z.number().optional(),
      color: z
        .string()
        .regex(/^#[0-9a-f]{6}$/i)
        .optional(),
      comment: z.string().optional(),
      enabled: z.boolean(),
      showSubtechniques: z.boolean(),
    }),
  ),
  gradient: z.object({ colors: z.array(z.string()).min(2), minValue: z.number(), maxValue: z.number() }),
  legendItems: z.array(z.object({ label: z.string(), color: z.string() })),
});

test('each export downloads a file that parses and validates', async ({ ext, server, extensionPage }) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const { tabId, panel } = await openPanelOn(ext, extensionPage, page);
  await expect(panel.locator('[data-value="198.51.100.23"]')).toBeVisible();
  const indicators = await backgroundIndicators(panel, tabId);
  const exports = panel.getByRole('group', { name: 'Export' });

  const [csvDownload] = await Promise.all([
    panel.waitForEvent('download'),
    exports.getByRole('button', { name: 'CSV' }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^riposte-127\.0\.0\.1-\d{8}-\d{4}\.csv$/);
  const csv = (await saved(csvDownload)).trimEnd().split('\r\n');
  expect(csv[0]).toBe('type,value,count,scope,page_url,seen_at');
  expect(csv).toHaveLength(indicators.length + 1);
  const rows = csv.slice(1).map((line) => line.split(','));
  expect(rows.every((r) => r.length === 6)).toBe(true);
  expect(rows.map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(
    indicators.map((i) => `${i.type}:${i.value}`).sort(),
  );
  expect(rows.find((r) => r[1] === '10.20.4.31')?.[3]).toBe('private');
  expect(new Set(rows.map((r) => r[4]))).toEqual(new Set([page.url()]));
  await expect(panel.getByRole('status').filter({ hasText: 'Saved' })).toContainText(
    `${indicators.length} indicators`,
  );

  const [stixDownload] = await Promise.all([
    panel.waitForEvent('download'),
    exports.getByRole('button', { name: 'STIX 2.1' }).click(),
  ]);
  const bundle = StixBundleSchema.parse(JSON.parse(await saved(stixDownload)));
  const patterns = bundle.objects.flatMap((o) => (o.type === 'indicator' ? [o.pattern] : []));
  expect(patterns).toContain("[ipv4-addr:value = '198.51.100.23']");
  expect(patterns).toContain("[domain-name:value = 'c2.badcdn.net']");
  expect(patterns).toContain(
    "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
  );
  expect(patterns).toContain("[email-addr:value = 'billing@invoices-secure-payments.com']");
  expect(bundle.objects.some((o) => o.type === 'vulnerability' && o.name === 'CVE-2023-23397')).toBe(true);
  const observables = indicators.filter(
    (i) => !i.type.startsWith('attack_') && !['d3fend_technique', 'cve', 'btc'].includes(i.type),
  );
  expect(patterns).toHaveLength(observables.length);

  const [layerDownload] = await Promise.all([
    panel.waitForEvent('download'),
    exports.getByRole('button', { name: 'Navigator' }).click(),
  ]);
  const layer = NavigatorLayerSchema.parse(JSON.parse(await saved(layerDownload)));
  const seen = indicators.filter((i) => i.type === 'attack_technique').map((i) => i.value);
  const scored = layer.techniques.filter((t) => t.score === 1).map((t) => t.techniqueID);
  expect(scored.sort()).toEqual(seen.sort());
  for (const t of layer.techniques.filter((x) => x.score === 1)) expect(t.comment).toContain(page.url());
});

test('screenshots in light and dark themes, at 360 px', async ({ ext, server, extensionPage }, testInfo) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const { panel } = await openPanelOn(ext, extensionPage, page);
  await panel.setViewportSize({ width: 360, height: 900 });
  await expect(panel.locator('[data-value="198.51.100.23"]')).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await panel.emulateMedia({ colorScheme });
    const background = await panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(colorScheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(22, 25, 29)');
    await panel.screenshot({ path: testInfo.outputPath(`sidepanel-page-${colorScheme}.png`) });
  }
  // Nothing overflows sideways at 360 px.
  const overflow = await panel.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBe(0);
});
