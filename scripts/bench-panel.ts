/**
 * `npm run bench:panel`: how long the side panel takes to open on a tab with 5,000 indicators, in Chromium with the
 * built extension (`wxt build` runs first through the npm script).
 *
 * A generated page holds 5,000 distinct indicators (IPv4, domains, URLs, SHA-256); once the background reports them
 * all, the panel is opened as a tab (`sidepanel.html?tabId=N`) RUNS times, and each run reads the panel's own marks:
 * `riposte:script` (its entry chunk is loaded and running), `riposte:request` / `riposte:indicators` (the
 * `tab.indicators` request leaves / its reply is parsed) and `riposte:page-ready` (the list on screen, after paint),
 * all from navigation start, and the size of the JS it loads before its first paint. Medians are printed.
 * Peers and a floor measured in the same run, interleaved with the panel's runs:
 * - the same panel on a tab with no indicators (the fixed cost of opening the panel at all);
 * - floor: a page from the local server with the same 5,000 indicators inlined as a static array, which renders the
 *   first screenful of rows with plain DOM (navigation start -> painted): what any page needs to show this list;
 * - a naive, non-virtualised render of the same 5,000 rows with plain DOM in an extension page (fetch + build +
 *   layout + paint), which is what the panel would cost without virtualisation.
 * Prints numbers and ratios; asserts nothing.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { extensionDir, launchWithExtension } from '../test/e2e/extension';
import { startFixtureServer } from '../test/e2e/server';
import { median } from './stats';

const RUNS = Number(process.env.RUNS ?? 9);
const COUNT = 5000;

function benchPage(): string {
  const lines: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const k = i % 4;
    const n = Math.floor(i / 4);
    if (k === 0) lines.push(`conn to 45.${(n >> 8) & 255}.${n & 255}.${(n % 200) + 1} blocked`);
    else if (k === 1) lines.push(`dns query host-${n}.bench-bad-domain.com`);
    else if (k === 2) lines.push(`GET https://cdn-${n}.bench-payload.net/p/${n}.bin`);
    else lines.push(`sha256 ${n.toString(16).padStart(8, '0').repeat(8)}`);
  }
  return `<!doctype html><title>Bench ${COUNT}</title><body>${lines.map((l) => `<p>${l}</p>`).join('')}</body>`;
}

/** The floor: the list as a static array in the page, the first screenful drawn with plain DOM, then painted. */
function floorPage(indicators: unknown[]): string {
  const data = JSON.stringify(indicators).replace(/</g, '\\u003c');
  return `<!doctype html><meta charset="utf-8"><title>Floor</title><body><main id="list"></main><script>
const items = ${data};
const list = document.getElementById('list');
const rows = Math.ceil(innerHeight / 30);
for (const item of items.slice(0, rows)) {
  const row = document.createElement('div');
  row.style.height = '30px';
  const button = document.createElement('button');
  button.textContent = item.value;
  row.append(button);
  if (item.count > 1) row.append(' ×' + item.count);
  list.append(row);
}
const count = document.createElement('p');
count.textContent = items.length + ' indicators';
list.prepend(count);
requestAnimationFrame(() => setTimeout(() => performance.mark('riposte:page-ready'), 0));
</script></body>`;
}

/** The entry chunk and its static imports (`modulepreload`) of the built sidepanel.html, against all chunks. */
async function entryScripts(): Promise<{ files: number; bytes: number; total: number }> {
  const dir = extensionDir;
  const html = await readFile(path.join(dir, 'sidepanel.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(chunks\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  let bytes = 0;
  for (const f of files) bytes += (await stat(path.join(dir, f))).size;
  let total = 0;
  for (const f of await readdir(path.join(dir, 'chunks')))
    total += (await stat(path.join(dir, 'chunks', f))).size;
  return { files: files.length, bytes, total };
}

function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `min ${ms(sorted[0] as number)}, max ${ms(sorted[sorted.length - 1] as number)}`;
}
const ms = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(1)} ms`);
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

const server = await startFixtureServer();
let floorHtml = '';
server.route((req, res) => {
  if (req.url === '/bench-5000.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(benchPage());
    return true;
  }
  if (req.url === '/bench-empty.html') {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>Empty</title><p>Nothing here.</p>');
    return true;
  }
  if (req.url === '/bench-floor.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(floorHtml);
    return true;
  }
  return false;
});
const ext = await launchWithExtension();
try {
  const base = `chrome-extension://${ext.extensionId}`;
  const probe = await ext.context.newPage();
  await probe.goto(`${base}/options.html`, { timeout: 120_000 });
  const indicatorsOf = (tabId: number) =>
    probe.evaluate(async (id) => {
      const reply = (await chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id })) as {
        indicators?: unknown[];
      };
      return reply.indicators ?? [];
    }, tabId);
  const tabIdOf = async (url: string) =>
    ext.serviceWorker.evaluate(
      async (target) => (await chrome.tabs.query({})).find((t) => t.url === target)?.id,
      url,
    );

  const big = await ext.context.newPage();
  await big.goto(`${server.url}bench-5000.html`, { timeout: 120_000 });
  const bigTab = (await tabIdOf(big.url())) as number;
  const deadline = Date.now() + 120_000;
  let reported = await indicatorsOf(bigTab);
  while (Date.now() < deadline && reported.length < COUNT) {
    await big.waitForTimeout(250);
    reported = await indicatorsOf(bigTab);
  }
  if (reported.length < COUNT)
    throw new Error(`the background reports ${reported.length} indicators, expected ${COUNT}`);
  floorHtml = floorPage(reported);

  const empty = await ext.context.newPage();
  await empty.goto(`${server.url}bench-empty.html`, { timeout: 120_000 });
  const emptyTab = (await tabIdOf(empty.url())) as number;
  await empty.waitForTimeout(500);

  const measure = async (url: string) => {
    const panel = await ext.context.newPage();
    await panel.setViewportSize({ width: 360, height: 900 });
    await panel.goto(url, { timeout: 120_000 });
    await panel.waitForFunction(() => performance.getEntriesByName('riposte:page-ready').length > 0, null, {
      timeout: 30_000,
    });
    // No named functions inside: tsx would wrap them in a helper that does not exist in the page.
    const result = await panel.evaluate(
      (names) => {
        const [ready, script, request, data] = names.map(
          (name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN,
        ) as [number, number, number, number];
        return {
          ready,
          script,
          request,
          data,
          rows: document.querySelectorAll('[role="listitem"]').length,
          nodes: document.getElementsByTagName('*').length,
        };
      },
      ['riposte:page-ready', 'riposte:script', 'riposte:request', 'riposte:indicators'],
    );
    await panel.close();
    return result;
  };
  const openPanel = (tabId: number) => measure(`${base}/sidepanel.html?tabId=${tabId}`);
  const openFloor = () => measure(`${server.url}bench-floor.html`);

  const naiveRender = async (tabId: number) =>
    probe.evaluate(async (id) => {
      document.body.replaceChildren();
      const t0 = performance.now();
      const reply = (await chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id })) as {
        indicators: { type: string; value: string; count: number }[];
      };
      const list = document.createElement('ul');
      for (const item of reply.indicators) {
        const li = document.createElement('li');
        li.setAttribute('data-value', item.value);
        const button = document.createElement('button');
        button.textContent = item.value;
        li.append(button);
        if (item.count > 1) li.append(` ×${item.count}`);
        list.append(li);
      }
      document.body.append(list);
      void document.body.offsetHeight;
      await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t0;
    }, tabId);

  // One warm-up of each (the first extension page load compiles the bundle), then the measured runs, interleaved.
  await openPanel(bigTab);
  await openPanel(emptyTab);
  await openFloor();
  await naiveRender(bigTab);
  const runs: Awaited<ReturnType<typeof openPanel>>[] = [];
  const empty0: number[] = [];
  const floor: number[] = [];
  const naive: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    runs.push(await openPanel(bigTab));
    empty0.push((await openPanel(emptyTab)).ready);
    floor.push((await openFloor()).ready);
    naive.push(await naiveRender(bigTab));
  }
  const ready = median(runs.map((r) => r.ready));
  const script = median(runs.map((r) => r.script));
  const request = median(runs.map((r) => r.request));
  const data = median(runs.map((r) => r.data));
  const roundTrip = median(runs.map((r) => r.data - r.request));
  const render = median(runs.map((r) => r.ready - r.data));
  const last = runs[runs.length - 1] as (typeof runs)[number];
  const e = median(empty0);
  const f = median(floor);
  const n = median(naive);
  console.log(
    `Side panel open time, Chromium, ${RUNS} runs each, medians (navigation start -> list painted)`,
  );
  console.log(`  panel, ${COUNT} indicators:   ${ms(ready)}  (${spread(runs.map((r) => r.ready))})`);
  console.log(
    `    breakdown: entry chunk running at ${ms(script)}; tab.indicators sent at ${ms(request)}, reply parsed at ${ms(data)} (request -> reply ${ms(roundTrip)}); render + paint ${ms(render)}`,
  );
  const entry = await entryScripts();
  console.log(
    `    JS the panel loads before its first paint (entry chunk + static imports): ${entry.files} files, ${kb(entry.bytes)}; all built chunks (every entry point): ${kb(entry.total)}`,
  );
  console.log(`  panel, no indicators:      ${ms(e)}  (${spread(empty0)})`);
  console.log(
    `  floor: static page, same ${COUNT} indicators inlined, first screenful in plain DOM: ${ms(f)}  (${spread(floor)})`,
  );
  console.log(
    `  naive full DOM, ${COUNT} rows in an extension page (fetch + render + paint only, no page load): ${ms(n)}`,
  );
  console.log(
    `  rows in the DOM with ${COUNT} indicators: ${last.rows} (virtualised); elements: ${last.nodes}`,
  );
  console.log(`  ratio panel@${COUNT} / floor: ${(ready / f).toFixed(2)}x`);
  console.log(`  ratio panel@${COUNT} / panel@0: ${(ready / e).toFixed(2)}x`);
  console.log(`  ratio naive@${COUNT} / panel@${COUNT}: ${(n / ready).toFixed(2)}x`);
  console.log(
    `  target: under 200 ms (median, idle machine) -> ${ready < 200 ? 'met' : 'NOT met'} in this run`,
  );
} finally {
  await ext.close();
  await server.close();
}
