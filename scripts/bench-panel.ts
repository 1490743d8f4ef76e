/**
 * `npm run bench:panel`: how long the side panel takes to open on a tab with 5,000 indicators, in Chromium with the
 * built extension (`wxt build` runs first through the npm script).
 *
 * A generated page holds 5,000 distinct indicators (IPv4, domains, URLs, SHA-256); once the background reports them
 * all, the panel is opened as a tab (`sidepanel.html?tabId=N`) RUNS times, and each run reads the panel's own
 * `riposte:page-ready` mark: navigation start -> list on screen (after paint). Peers measured in the same run:
 * - the same panel on a tab with no indicators (the fixed cost of opening the panel at all);
 * - a naive, non-virtualised render of the same 5,000 rows with plain DOM in an extension page (fetch + build +
 *   layout + paint), which is what the panel would cost without virtualisation.
 * Prints numbers; asserts nothing.
 */
import { launchWithExtension } from '../test/e2e/extension';
import { startFixtureServer } from '../test/e2e/server';

const RUNS = Number(process.env.RUNS ?? 7);
const COUNT = 5000;

function benchPage(): string {
  const lines: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const k = i % 4;
    const n = Math.floor(i / 4);
    if (k === 0) lines.push(`conn to 45.${(n >> 8) & 255}.${n & 255}.${(n % 200) + 1} blocked`);
    else if (k === 1) lines.push(`dns query host-${n}.bench-bad-domain.com`);
    else if (k === 2) lines.push(`GET https://cdn-${n}.bench-payload.net/p/${n}.bin`);
    else lines.push(`sha256 ${(n.toString(16).padStart(8, '0')).repeat(8)}`);
  }
  return `<!doctype html><title>Bench ${COUNT}</title><body>${lines.map((l) => `<p>${l}</p>`).join('')}</body>`;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return {
    median: at(0.5),
    p90: at(0.9),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

const server = await startFixtureServer();
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
  return false;
});
const ext = await launchWithExtension();
try {
  const base = `chrome-extension://${ext.extensionId}`;
  const probe = await ext.context.newPage();
  await probe.goto(`${base}/options.html`, { timeout: 120_000 });
  const countFor = (tabId: number) =>
    probe.evaluate(async (id) => {
      const reply = (await chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id })) as {
        indicators?: unknown[];
      };
      return reply.indicators?.length ?? -1;
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
  let reported = await countFor(bigTab);
  while (Date.now() < deadline && reported < COUNT) {
    await big.waitForTimeout(250);
    reported = await countFor(bigTab);
  }
  if (reported < COUNT) throw new Error(`the background reports ${reported} indicators, expected ${COUNT}`);

  const empty = await ext.context.newPage();
  await empty.goto(`${server.url}bench-empty.html`, { timeout: 120_000 });
  const emptyTab = (await tabIdOf(empty.url())) as number;
  await empty.waitForTimeout(500);

  const openPanel = async (tabId: number) => {
    const panel = await ext.context.newPage();
    await panel.setViewportSize({ width: 360, height: 900 });
    await panel.goto(`${base}/sidepanel.html?tabId=${tabId}`, { timeout: 120_000 });
    await panel.waitForFunction(() => performance.getEntriesByName('riposte:page-ready').length > 0, null, {
      timeout: 30_000,
    });
    const result = await panel.evaluate(() => ({
      ready: performance.getEntriesByName('riposte:page-ready')[0]?.startTime ?? Number.NaN,
      script: performance.getEntriesByName('riposte:script')[0]?.startTime ?? Number.NaN,
      data: performance.getEntriesByName('riposte:indicators')[0]?.startTime ?? Number.NaN,
      rows: document.querySelectorAll('[role="listitem"]').length,
      nodes: document.getElementsByTagName('*').length,
    }));
    await panel.close();
    return result;
  };

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

  // One warm-up of each (first extension page load compiles the bundle), then the measured runs, interleaved.
  await openPanel(bigTab);
  await openPanel(emptyTab);
  await naiveRender(bigTab);
  const big5000: number[] = [];
  const split = { script: [] as number[], data: [] as number[] };
  const empty0: number[] = [];
  const naive: number[] = [];
  let rows = 0;
  let nodes = 0;
  for (let run = 0; run < RUNS; run++) {
    const b = await openPanel(bigTab);
    big5000.push(b.ready);
    split.script.push(b.script);
    split.data.push(b.data);
    rows = b.rows;
    nodes = b.nodes;
    empty0.push((await openPanel(emptyTab)).ready);
    naive.push(await naiveRender(bigTab));
  }
  const b = stats(big5000);
  const e = stats(empty0);
  const n = stats(naive);
  console.log(`Side panel open time, Chromium, ${RUNS} runs each (navigation start -> list painted)`);
  console.log(
    `  panel, ${COUNT} indicators:   median ${ms(b.median)}  p90 ${ms(b.p90)}  (min ${ms(b.min)}, max ${ms(b.max)})`,
  );
  const s = stats(split.script).median;
  const d = stats(split.data).median;
  console.log(
    `    of which: bundle loaded and running ${ms(s)}, indicators from the background at ${ms(d)}, list painted at ${ms(b.median)} (render + paint ${ms(b.median - d)})`,
  );
  console.log(`  panel, no indicators:      median ${ms(e.median)}  p90 ${ms(e.p90)}`);
  console.log(
    `  naive full DOM, ${COUNT} rows (fetch + render + paint only, no page load): median ${ms(n.median)}`,
  );
  console.log(
    `  rows in the DOM with ${COUNT} indicators: ${rows} (virtualised); elements in the document: ${nodes}`,
  );
  console.log(`  ratio panel@${COUNT} / panel@0: ${(b.median / e.median).toFixed(2)}x`);
  console.log(`  ratio naive@${COUNT} / panel@${COUNT}: ${(n.median / b.median).toFixed(2)}x`);
  console.log(`  target: under 200 ms -> ${b.median < 200 ? 'met' : 'NOT met'} (median)`);
} finally {
  await ext.close();
  await server.close();
}
