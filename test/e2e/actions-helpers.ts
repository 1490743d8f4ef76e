import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { LoadedExtension } from './extension';
import { hoverCard, scannerIdle, textCentre } from './page-helpers';
import type { FixtureServer } from './server';

/**
 * Helpers for the response-action suite: configure a connector through the options page, act from the hover card,
 * confirm in the side panel, and count what the analyst did on the way (every hover and every click).
 */

/** A console page with indicators, each on its own line so that a hover card never covers the next one. */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>EDR alert 4411</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:24px} p{margin:0 0 150px}</style></head>
<body>
<h1>Alert 4411: beaconing</h1>
<p>Beacon destination 93.184.216.34 seen 14 times</p>
<p>Host ws-0231.example.com made the connections</p>
<p>Retried destination 1.0.0.1 after the first block failed</p>
<p>Unstable destination 9.9.9.9 answers slowly</p>
<p>Token destination 149.112.112.112 from the same host</p>
<p>Resolver 8.8.4.4 used by the host</p>
<p>Dropper sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 on disk</p>
<p>Download domain bad-cdn.example.net in the proxy log</p>
</body></html>`;

export function serveConsole(server: FixtureServer): string {
  server.route((req, res) => {
    if (!req.url?.startsWith('/actions-console.html')) return false;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(CONSOLE_PAGE);
    return true;
  });
  return `${server.url}actions-console.html`;
}

/** Counts the analyst's gestures: every hover on an indicator and every click. */
export class Gestures {
  hovers = 0;
  clicks = 0;
  get total(): number {
    return this.hovers + this.clicks;
  }
  reset(): void {
    this.hovers = 0;
    this.clicks = 0;
  }
}

/**
 * Pre-approves a site in chrome://extensions ("Site access" → add a site, `developerPrivate.addHostPermission`),
 * the way an analyst or an administrator allows Riposte a host ahead of time. It does NOT grant the permission:
 * Riposte still holds nothing for that origin until its own `permissions.request` runs from the Save click, which
 * then resolves without a prompt (headless Chromium cannot show the prompt; Playwright cannot answer it).
 */
export async function preApproveSite(ext: LoadedExtension, origin: string): Promise<void> {
  const page = await ext.context.newPage();
  await page.goto(`chrome://extensions/?id=${ext.extensionId}`);
  await page.evaluate(
    async ({ id, pattern }) => {
      const api = (
        chrome as unknown as {
          developerPrivate: { addHostPermission(id: string, host: string): Promise<void> };
        }
      ).developerPrivate;
      await api.addHostPermission(id, pattern);
    },
    { id: ext.extensionId, pattern: `${origin}/*` },
  );
  await page.close();
}

export async function hostPermissions(ext: LoadedExtension): Promise<string[]> {
  const worker = ext.context.serviceWorkers()[0] ?? ext.serviceWorker;
  return worker.evaluate(async () => (await chrome.permissions.getAll()).origins ?? []);
}

export interface ConnectorSetup {
  vendor: string;
  label: string;
  /** Form fields by input name (dotted for nested settings); secrets included (typed into masked fields). */
  fields: Record<string, string>;
  /** Only these actions stay checked (default: all the connector declares). */
  actions?: string[];
  /** Origins to pre-approve (see preApproveSite). */
  origins: string[];
}

/** Adds a connector through the options page, as an analyst would; returns the options page. */
export async function addConnector(
  ext: LoadedExtension,
  options: Page,
  setup: ConnectorSetup,
): Promise<void> {
  for (const origin of setup.origins) await preApproveSite(ext, origin);
  await options.getByLabel('Connector type').selectOption(setup.vendor);
  await options.getByRole('button', { name: 'Add', exact: true }).click();
  const editor = options.locator('form.connector-editor');
  await editor.locator('input[name="instance-label"]').fill(setup.label);
  for (const [name, value] of Object.entries(setup.fields)) {
    const field = editor.locator(`[name="${name}"]`);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  if (setup.actions) {
    const boxes = editor.locator('input[name^="action-"]');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      const name = ((await box.getAttribute('name')) ?? '').slice('action-'.length);
      await box.setChecked(setup.actions.includes(name));
    }
  }
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(options.locator('.instance-row', { hasText: setup.label })).toBeVisible();
}

/** Hovers an indicator on the page until the hover card shows it (one analyst gesture). */
export async function hoverIndicator(page: Page, ext: LoadedExtension, text: string, gestures: Gestures) {
  await scannerIdle(page, ext.extensionId);
  await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (n.textContent?.includes(needle)) n.parentElement?.scrollIntoView({ block: 'center' });
  }, text);
  const at = await textCentre(page, text);
  // away first (the card closes), then straight onto the indicator, never across another one
  await page.mouse.move(1, 1);
  await expect.poll(() => hoverCard(page).then((c) => c?.text ?? '')).toBe('');
  await page.mouse.move(at.x, at.y);
  gestures.hovers += 1;
  await expect.poll(() => hoverCard(page).then((c) => c?.text ?? ''), { timeout: 10_000 }).toContain(text);
  return hoverCard(page);
}

/** Clicks a hover card button by its label (one analyst click). */
export async function clickCardButton(page: Page, label: string, gestures: Gestures): Promise<void> {
  let box: { x: number; y: number } | undefined;
  await expect
    .poll(async () => {
      box = (await hoverCard(page))?.buttons[label];
      return Boolean(box);
    })
    .toBe(true);
  if (!box) throw new Error(`no ${label} button`);
  await page.mouse.move(box.x, box.y, { steps: 4 });
  await page.mouse.click(box.x, box.y);
  gestures.clicks += 1;
}

/**
 * The side panel the background opened on the hover card's click (Chromium's real side panel, when Playwright
 * sees it as a page), else the panel as a tab pinned to the page's tab (`?tabId=`), opened by the test, not the
 * analyst.
 */
export async function sidePanel(
  ext: LoadedExtension,
  tabId: number,
): Promise<{ panel: Page; real: boolean }> {
  const base = `chrome-extension://${ext.extensionId}/sidepanel.html`;
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline) {
    const real = ext.context.pages().find((p) => p.url() === base);
    if (real) return { panel: real, real: true };
    await new Promise((r) => setTimeout(r, 100));
  }
  const existing = ext.context.pages().find((p) => p.url() === `${base}?tabId=${tabId}`);
  if (existing) return { panel: existing, real: false };
  const panel = await ext.context.newPage();
  await panel.goto(`${base}?tabId=${tabId}`);
  return { panel, real: false };
}

/** Sends a message from an extension page (what the side panel itself does). */
export async function ask<T>(page: Page, message: unknown): Promise<T> {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<T>;
}

export interface AuditRow {
  operationId: string;
  phase: string;
  result: string;
  target: string;
  reference?: string;
  message?: string;
  vendor: string;
  action: string;
}

export async function auditRows(extensionPage: Page): Promise<AuditRow[]> {
  const reply = await ask<{ entries?: AuditRow[]; error?: string }>(extensionPage, {
    type: 'actions.audit',
    filter: {},
  });
  if (!reply.entries) throw new Error(reply.error ?? 'no audit reply');
  return reply.entries;
}
