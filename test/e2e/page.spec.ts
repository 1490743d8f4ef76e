import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, tabIdOf, test } from './fixtures';
import {
  highlightedTexts,
  hoverCard,
  inContentWorld,
  scannerIdle,
  serialiseDom,
  tabIndicators,
  textCentre,
} from './page-helpers';
import { type FixtureServer, repoRoot } from './server';

/** Serves the built Preact from node_modules for the virtual-DOM page. */
function servePreact(server: FixtureServer): void {
  const files: Record<string, string> = {
    '/vendor/preact.mjs': 'node_modules/preact/dist/preact.mjs',
    '/vendor/hooks.mjs': 'node_modules/preact/hooks/dist/hooks.mjs',
  };
  server.route((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) return false;
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(path.join(repoRoot, file)));
    return true;
  });
}

/** Records the page's DOM (open shadow roots included) at DOMContentLoaded, before Riposte's content script runs. */
async function recordDomBeforeScan(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const walk = (node: Node): string => {
        if (node.nodeType === Node.TEXT_NODE) return `#text(${(node as Text).data})`;
        if (node.nodeType === Node.COMMENT_NODE) return `<!--${(node as Comment).data}-->`;
        if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return '';
        let out = '';
        if (node.nodeType === Node.ELEMENT_NODE) {
          const el = node as Element;
          out += `<${el.tagName.toLowerCase()} ${[...el.attributes].map((a) => `${a.name}="${a.value}"`).join(' ')}>`;
          if (el.shadowRoot) out += `#shadow(${walk(el.shadowRoot)})`;
        }
        for (const child of node.childNodes) out += walk(child);
        if (node.nodeType === Node.ELEMENT_NODE) out += `</${(node as Element).tagName.toLowerCase()}>`;
        return out;
      };
      (window as unknown as { __domBefore: string }).__domBefore = walk(document.documentElement);
    });
  });
}

/** The serialised DOM without Riposte's single UI host (which may be added, lazily, for the hover card). */
function withoutUiHost(dom: string): string {
  return dom.replace(/<riposte-ui [^>]*>.*?<\/riposte-ui>/s, '');
}

test('a log table: indicators split by inline markup are one highlight, per family, matching tab.indicators', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}log-table.html`);
  const texts = await highlightedTexts(page, ext.extensionId);
  // `10.1.<em>2.3</em>` and `<b>exfil</b>.badcdn.net` are single highlights, never fragments.
  expect(texts.filter((t) => t === 'network:10.1.2.3')).toHaveLength(5);
  expect(texts).toContain('network:exfil.badcdn.net');
  expect(texts).not.toContain('network:2.3');
  expect(texts).toEqual(
    expect.arrayContaining([
      'hash:44d88612fea8a8f36de82e1278abb02f',
      'hash:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'attack:T1071.001',
      'vulnerability:CVE-2024-3400',
      'network:2001:db8::5',
    ]),
  );

  // What the background answers for the tab is exactly what is highlighted, counted.
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage('options.html');
  const counted = new Map<string, number>();
  for (const t of texts) {
    const value = t.slice(t.indexOf(':') + 1);
    counted.set(value, (counted.get(value) ?? 0) + 1);
  }
  await expect
    .poll(async () => (await tabIndicators(panel, tabId)).map((i) => i.slice(i.indexOf(':') + 1)).sort())
    .toEqual([...counted].map(([value, count]) => `${value}×${count}`).sort());
});

test('a JSON document view with one span per token', async ({ ext, server }) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}json-view.html`);
  expect(await highlightedTexts(page, ext.extensionId)).toEqual([
    'attack:T1059.003',
    'attack:T1105',
    'hash:da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'network:185.220.101.4',
    'network:https://update.win-telemetry.net/api/v2/check?id=77',
    'network:update.win-telemetry.net',
  ]);
});

test('an alert detail: open shadow roots are read and styled, hidden text, inputs and textareas are not', async ({
  ext,
  server,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}alert-detail.html`);
  const texts = await highlightedTexts(page, ext.extensionId);
  expect(texts).toEqual([
    'attack:T1003.001',
    'hash:356a192b7913b04c54574d18c28d46e6395428ab', // inside the widget's shadow root
    'hash:5f4dcc3b5aa765d61d8327deb882cf99',
    'network:10.20.4.31',
    'network:192.0.2.150', // split by <b> inside the shadow root
    'network:203.0.113.66',
  ]);
  // The shadow root carries the ::highlight() styles (adopted, not a node).
  const styled = await page.evaluate(() => {
    const root = document.getElementById('widget')?.shadowRoot;
    return (root?.adoptedStyleSheets ?? []).some((sheet) =>
      [...sheet.cssRules].some((rule) => rule.cssText.includes('::highlight(riposte-network)')),
    );
  });
  expect(styled).toBe(true);

  // Typing an indicator into a field changes nothing.
  await page.locator('#search').fill('198.51.100.250');
  await page.locator('#notes').fill('now 198.51.100.251');
  expect(await highlightedTexts(page, ext.extensionId)).toEqual(texts);
  expect(await page.locator('#search').inputValue()).toBe('198.51.100.250');
});

test('a threat report with defanged indicators: highlighted as written, reported refanged', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}threat-report.html`);
  const texts = await highlightedTexts(page, ext.extensionId);
  expect(texts).toEqual(
    expect.arrayContaining([
      'network:45.77.12[.]9',
      'network:cdn-paper-lantern[.]com',
      'network:hxxps://docs.paper-lantern[.]net/view?id=4',
      'network:hr-portal[@]paper-lantern[.]net',
      'attack:T1566.002',
      'vulnerability:CVE-2023-38831',
    ]),
  );
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage('options.html');
  await expect
    .poll(() => tabIndicators(panel, tabId))
    .toEqual(
      expect.arrayContaining([
        'ipv4:45.77.12.9×2',
        'domain:cdn-paper-lantern.com×2',
        'url:https://docs.paper-lantern.net/view?id=4×1',
        'email:hr-portal@paper-lantern.net×1',
      ]),
    );
});

test('a page of traps: scripts, styles, templates, fields, editors, hidden and generated text stay unmarked', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}traps.html`);
  expect(await highlightedTexts(page, ext.extensionId)).toEqual([]);
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage('options.html');
  expect(await tabIndicators(panel, tabId)).toEqual([]);
});

test('iframes: each frame, srcdoc included, highlights its own text', async ({ ext, server }) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}frames.html`);
  expect(await highlightedTexts(page, ext.extensionId)).toEqual(['network:203.0.113.77']);
  expect(await highlightedTexts(page, ext.extensionId, 'frame-child.html')).toEqual([
    'network:hxxps://update-check[.]example-bad[.]com/gate.php',
  ]);
  expect(await highlightedTexts(page, ext.extensionId, 'about:srcdoc')).toEqual([
    'hash:44d88612fea8a8f36de82e1278abb02f',
  ]);
});

test("the page's DOM is not modified: only Riposte's UI host appears, once the hover card is shown", async ({
  ext,
  server,
}) => {
  for (const name of ['log-table.html', 'alert-detail.html', 'demo-console.html', 'frames.html']) {
    const page = await ext.context.newPage();
    await recordDomBeforeScan(page);
    await page.goto(`${server.url}${name}`);
    await scannerIdle(page, ext.extensionId);
    expect((await highlightedTexts(page, ext.extensionId)).length).toBeGreaterThan(0);
    const before = await page.evaluate(() => (window as unknown as { __domBefore: string }).__domBefore);
    expect(await serialiseDom(page), name).toBe(before);
    for (const frame of page.frames().slice(1)) {
      expect(await frame.evaluate(() => document.querySelector('riposte-ui'))).toBeNull();
    }
    if (name === 'log-table.html') {
      const at = await textCentre(page, '203.0.113.10');
      await page.mouse.move(at.x, at.y);
      await expect.poll(() => hoverCard(page).then((c) => c?.text ?? '')).toContain('203.0.113.10');
      const after = await serialiseDom(page);
      expect(after).not.toBe(before);
      expect(withoutUiHost(after)).toBe(before);
      expect(await page.locator('riposte-ui').count()).toBe(1);
    }
    await page.close();
  }
});

test('the hover card: type, value, scope, and its buttons copy, copy defanged and open the side panel', async ({
  ext,
  server,
}) => {
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await ext.context.newPage();
  await page.goto(`${server.url}log-table.html`);
  await scannerIdle(page, ext.extensionId);
  expect(await page.locator('riposte-ui').count()).toBe(0);

  const at = await textCentre(page, '192.168.7.20');
  await page.mouse.move(at.x, at.y);
  await expect.poll(() => hoverCard(page).then((c) => c?.text ?? '')).toContain('192.168.7.20');
  const card = await hoverCard(page);
  expect(card?.text).toContain('IPv4 address');
  expect(card?.text).toContain('private IP');
  expect(Object.keys(card?.buttons ?? {})).toEqual(['Open in side panel', 'Copy', 'Copy defanged']);
  // The card's root is closed: the page cannot reach into it.
  expect(await page.evaluate(() => document.querySelector('riposte-ui')?.shadowRoot ?? null)).toBeNull();

  const click = async (label: string) => {
    const box = (await hoverCard(page))?.buttons[label];
    if (!box) throw new Error(`no ${label} button`);
    await page.mouse.move(box.x, box.y, { steps: 4 });
    await page.mouse.click(box.x, box.y);
  };
  await click('Copy');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('192.168.7.20');
  await click('Copy defanged');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('192.168.7[.]20');

  const sidePanels = () =>
    ext.serviceWorker.evaluate(async () => {
      const contexts = await chrome.runtime.getContexts({
        contextTypes: ['SIDE_PANEL' as chrome.runtime.ContextType],
      });
      return contexts.length;
    });
  await click('Open in side panel');
  await expect.poll(sidePanels).toBe(1);
  const focus = await ext.serviceWorker.evaluate(() => chrome.storage.session.get('riposte.panelFocus'));
  expect(focus['riposte.panelFocus']).toEqual({ type: 'ipv4', value: '192.168.7.20' });

  // Moving away closes the card.
  await page.mouse.move(5, 400);
  await expect.poll(() => hoverCard(page).then((c) => c?.text ?? '')).toBe('');
});

test('an ATT&CK id on hover shows what it is', async ({ ext, server }) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}log-table.html`);
  await scannerIdle(page, ext.extensionId);
  const at = await textCentre(page, 'T1071.001');
  await page.mouse.move(at.x, at.y);
  await expect.poll(() => hoverCard(page).then((c) => c?.text ?? '')).toContain('ATT&CK technique');
});

test('a virtual-DOM page keeps working when it re-renders over highlighted text, and highlights follow', async ({
  ext,
  server,
}) => {
  servePreact(server);
  const errors: string[] = [];
  const page = await ext.context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}vdom.html`);
  await expect(page.locator('td').first()).toHaveText('203.0.113.41');
  await expect
    .poll(() => highlightedTexts(page, ext.extensionId))
    .toEqual([
      'network:203.0.113.41',
      'network:203.0.113.42',
      'network:alpha.attacker-cdn.net',
      'network:beta.attacker-cdn.net',
    ]);
  for (let i = 1; i <= 3; i++) {
    await page.locator('#next').click();
    await expect(page.locator('#clicks')).toHaveText(`clicks: ${i}`);
  }
  await expect(page.locator('td').first()).toHaveText('198.51.100.51');
  await expect
    .poll(() => highlightedTexts(page, ext.extensionId))
    .toEqual([
      'network:198.51.100.51',
      'network:198.51.100.53',
      'network:delta.attacker-cdn.net',
      'network:gamma.attacker-cdn.net',
    ]);
  expect(errors).toEqual([]);
});

test('1,000 rows appended in bursts are all highlighted and counted', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}log-table.html`);
  await scannerIdle(page, ext.extensionId);
  const initial = (await highlightedTexts(page, ext.extensionId)).length;
  await page.evaluate(async () => {
    const append = (window as unknown as { appendRows: (n: number, offset: number) => void }).appendRows;
    for (let burst = 0; burst < 10; burst++) {
      append(100, burst * 100);
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  // Each row: a source IP, a destination IP and a host name.
  await expect.poll(async () => (await highlightedTexts(page, ext.extensionId)).length).toBe(initial + 3000);
  const texts = await highlightedTexts(page, ext.extensionId);
  expect(texts).toContain('network:n999.stream-cdn.net');
  expect(texts).toContain('network:198.18.3.249');
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage('options.html');
  await expect
    .poll(async () => (await tabIndicators(panel, tabId)).filter((i) => i.includes('stream-cdn.net')).length)
    .toBe(1000);
  expect(await tabIndicators(panel, tabId)).toContain('ipv4:203.0.113.7×4');
});

test('pause and resume from settings take effect on the open tab without a reload', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}log-table.html`);
  const before = await highlightedTexts(page, ext.extensionId);
  expect(before.length).toBeGreaterThan(0);
  const tabId = await tabIdOf(ext, page);
  const options = await extensionPage('options.html');
  const setSettings = (patch: Record<string, unknown>) =>
    options.evaluate(async (p) => {
      const current = (await chrome.storage.local.get('riposte.settings'))['riposte.settings'] ?? {};
      await chrome.storage.local.set({ 'riposte.settings': { ...current, ...p } });
    }, patch);

  await setSettings({ pausedSites: ['127.0.0.1'] });
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).toEqual([]);
  await expect.poll(() => tabIndicators(options, tabId)).toEqual([]);
  // While paused, new rows are not read.
  await page.evaluate(() =>
    (window as unknown as { appendRows: (n: number, o: number) => void }).appendRows(5, 0),
  );
  expect(await highlightedTexts(page, ext.extensionId)).toEqual([]);

  await setSettings({ pausedSites: [] });
  await expect
    .poll(async () => (await highlightedTexts(page, ext.extensionId)).length)
    .toBe(before.length + 15);
  await expect.poll(async () => (await tabIndicators(options, tabId)).length).toBeGreaterThan(0);

  await setSettings({ paused: true });
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).toEqual([]);
  await setSettings({ paused: false, highlight: { network: false } });
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).not.toEqual([]);
  const onlySome = await highlightedTexts(page, ext.extensionId);
  expect(onlySome.some((t) => t.startsWith('network:'))).toBe(false);
  expect(onlySome).toContain('hash:44d88612fea8a8f36de82e1278abb02f');
});

test('an SPA navigation resets the page state', async ({ ext, server, extensionPage }) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}spa.html`);
  expect(await highlightedTexts(page, ext.extensionId)).toEqual(['network:203.0.113.71']);
  const tabId = await tabIdOf(ext, page);
  const options = await extensionPage('options.html');
  await expect.poll(() => tabIndicators(options, tabId)).toEqual(['ipv4:203.0.113.71×1']);
  await page.locator('#to-b').click();
  await expect(page).toHaveURL(/case=b/);
  await expect
    .poll(() => highlightedTexts(page, ext.extensionId))
    .toEqual(['hash:9e107d9d372bb6826bd81d3542a419d6']);
  await expect.poll(() => tabIndicators(options, tabId)).toEqual(['md5:9e107d9d372bb6826bd81d3542a419d6×1']);
});

test('tab.reveal scrolls to the indicator in its frame and flashes it', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 800, height: 300 });
  await page.goto(`${server.url}log-table.html`);
  await page.evaluate(() =>
    (window as unknown as { appendRows: (n: number, o: number) => void }).appendRows(300, 0),
  );
  await expect.poll(async () => (await highlightedTexts(page, ext.extensionId)).length).toBeGreaterThan(900);
  const tabId = await tabIdOf(ext, page);
  const options = await extensionPage('options.html');
  const reveal = (value: string, type: string) =>
    options.evaluate(
      ([id, v, t]) =>
        chrome.runtime.sendMessage({ type: 'tab.reveal', tabId: id, indicator: { type: t, value: v } }),
      [tabId, value, type] as const,
    );
  expect(await reveal('n299.stream-cdn.net', 'domain')).toEqual({ found: true });
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
  const flashed = await inContentWorld<string>(
    page,
    ext.extensionId,
    `(() => { const h = CSS.highlights.get('riposte-flash'); if (!h) return ''; const [r] = [...h]; return r.toString(); })()`,
  );
  expect(flashed).toBe('n299.stream-cdn.net');
  expect(await reveal('nowhere.example.com', 'domain')).toEqual({ found: false });
});

test('the side panel pauses Riposte on the page’s site and resumes it, on the open tab', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}json-view.html`);
  const before = await highlightedTexts(page, ext.extensionId);
  expect(before.length).toBeGreaterThan(0);
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage(`sidepanel.html?tabId=${tabId}`);
  const here = panel.getByRole('checkbox', { name: 'Pause on 127.0.0.1' });
  await expect(here).not.toBeChecked();
  await here.check();
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).toEqual([]);
  await expect(here).toBeChecked();
  await here.uncheck();
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).toEqual(before);
  const everywhere = panel.getByRole('checkbox', { name: 'Pause everywhere' });
  await everywhere.check();
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).toEqual([]);
  await everywhere.uncheck();
  await expect.poll(() => highlightedTexts(page, ext.extensionId)).toEqual(before);
});

test('the toolbar menu and the selection menu are registered, and the shortcut opens Riposte', async ({
  ext,
}) => {
  // The manifest suggests Alt+Shift+R for the toolbar button (Chromium may leave it unassigned in a test profile).
  const manifest = await ext.serviceWorker.evaluate(() => chrome.runtime.getManifest());
  const suggested = manifest.commands?._execute_action?.suggested_key;
  expect(typeof suggested === 'object' ? suggested.default : suggested).toBe('Alt+Shift+R');
  const commands = await ext.serviceWorker.evaluate(() => chrome.commands.getAll());
  expect(commands.map((c) => c.name)).toContain('_execute_action');
  // The toolbar button (and so its shortcut) opens the side panel.
  const behavior = await ext.serviceWorker.evaluate(() =>
    (
      chrome.sidePanel as unknown as { getPanelBehavior(): Promise<{ openPanelOnActionClick: boolean }> }
    ).getPanelBehavior(),
  );
  expect(behavior.openPanelOnActionClick).toBe(true);
  // Menu items exist: updating an unknown id would fail.
  for (const id of ['riposte-pause-site', 'riposte-pause-all', 'riposte-lookup']) {
    await expect
      .poll(() =>
        ext.serviceWorker.evaluate(
          (menuId) =>
            chrome.contextMenus.update(menuId, {}).then(
              () => 'ok',
              (e: Error) => e.message,
            ),
          id,
        ),
      )
      .toBe('ok');
  }
});
