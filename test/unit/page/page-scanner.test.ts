// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { detect } from '../../../lib/detect/index';
import type { IndicatorFamily } from '../../../lib/detect/types';
import type { HighlightSink } from '../../../lib/page/highlight-sink';
import { type KnowledgeLookup, PageScanner, type PageScannerOptions } from '../../../lib/page/page-scanner';

/** Records what would be painted: family -> live ranges (so their text can be read back). */
function recordingSink() {
  const painted = new Map<AbstractRange, IndicatorFamily>();
  const sink: HighlightSink = {
    add: (family, range) => painted.set(range, family),
    delete: (_family, range) => painted.delete(range),
    clear: () => painted.clear(),
    flash: () => undefined,
  };
  const texts = () =>
    [...painted].map(([range, family]) => `${family}:${(range as Range).toString()}`).sort();
  return { sink, texts, painted };
}

const scanners: PageScanner[] = [];
afterEach(() => {
  for (const s of scanners.splice(0)) s.stop();
  document.body.innerHTML = '';
});

function setup(html: string, extra: Partial<PageScannerOptions> = {}) {
  document.body.innerHTML = html;
  const { sink, texts } = recordingSink();
  const reports: { type: string; value: string; count: number }[][] = [];
  const scanner = new PageScanner({
    doc: document,
    detect,
    sink,
    report: (indicators) => reports.push(indicators),
    reportEveryMs: 0,
    makeRange: (p) => {
      const range = document.createRange();
      range.setStart(p.startNode, p.startOffset);
      range.setEnd(p.endNode, p.endOffset);
      return range;
    },
    runner: { yieldToPage: () => new Promise((r) => setTimeout(r, 0)) },
    ...extra,
  });
  scanners.push(scanner);
  scanner.start();
  return { scanner, texts, reports };
}

/** MutationObserver records arrive in a microtask; give them a turn, then wait for the work to finish. */
async function settle(scanner: PageScanner) {
  await new Promise((r) => setTimeout(r, 0));
  await scanner.whenIdle();
}

describe('PageScanner', () => {
  it('highlights indicators, including one split across inline elements, and counts them', async () => {
    const { scanner, texts } = setup(
      '<table><tr><td>10.1.<em>2.3</em></td><td>203.0.113.9</td></tr><tr><td>203.0.113.9</td><td>T1059.001</td></tr></table>',
    );
    await settle(scanner);
    expect(texts()).toEqual([
      'attack:T1059.001',
      'network:10.1.2.3',
      'network:203.0.113.9',
      'network:203.0.113.9',
    ]);
    const counts = Object.fromEntries(scanner.indicators().map((i) => [i.value, i.count]));
    expect(counts).toEqual({ '10.1.2.3': 1, '203.0.113.9': 2, 'T1059.001': 1 });
  });

  it('scans appended rows, drops removed ones and rescans edited text', async () => {
    const { scanner, texts } = setup(
      '<table><tbody id="rows"><tr><td>198.51.100.1</td></tr></tbody></table>',
    );
    await settle(scanner);
    const rows = document.getElementById('rows') as HTMLElement;
    const row = document.createElement('tr');
    row.innerHTML = '<td>sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709</td>';
    rows.append(row);
    await settle(scanner);
    expect(texts()).toEqual(['hash:da39a3ee5e6b4b0d3255bfef95601890afd80709', 'network:198.51.100.1']);

    rows.firstElementChild?.remove();
    await settle(scanner);
    expect(texts()).toEqual(['hash:da39a3ee5e6b4b0d3255bfef95601890afd80709']);

    const cell = row.firstElementChild as HTMLElement;
    (cell.firstChild as Text).data = 'now 192.0.2.44';
    await settle(scanner);
    expect(texts()).toEqual(['network:192.0.2.44']);
    expect(scanner.indicators().map((i) => i.value)).toEqual(['192.0.2.44']);
  });

  it('paints a few appended rows in the mutation microtask, before the page gets another task', async () => {
    const { scanner, texts } = setup(
      '<table><tbody id="rows"><tr><td>198.51.100.1</td></tr></tbody></table>',
    );
    await settle(scanner);
    const rows = document.getElementById('rows') as HTMLElement;
    for (let i = 0; i < 20; i++) {
      const row = document.createElement('tr');
      row.innerHTML = `<td>src 203.0.113.${i}</td><td>evil${i}.example.com</td>`;
      rows.append(row);
    }
    // Microtasks only: no timer, no animation frame has had a chance to run.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(texts()).toHaveLength(41);
    expect(texts()).toContain('network:evil19.example.com');
    expect(scanner.stats.fastRuns).toBe(1);
  });

  it('drops appended rows that turn out hidden once the page has rendered, before reporting them', async () => {
    const { scanner, texts, reports } = setup(
      '<table><tbody id="rows"><tr><td>198.51.100.1</td></tr></tbody></table>',
      { isVisible: (block) => !block.nodes[0]?.parentElement?.closest('.collapsed') },
    );
    await settle(scanner);
    const rows = document.getElementById('rows') as HTMLElement;
    const shown = document.createElement('tr');
    shown.innerHTML = '<td>203.0.113.7</td>';
    const hidden = document.createElement('tr');
    hidden.className = 'collapsed';
    hidden.innerHTML = '<td>203.0.113.8</td>';
    rows.append(shown, hidden);
    await settle(scanner);
    expect(scanner.stats.fastRuns).toBe(1);
    expect(texts()).toEqual(['network:198.51.100.1', 'network:203.0.113.7']);
    await new Promise((r) => setTimeout(r, 20));
    const last = reports.at(-1) ?? [];
    expect(last.map((i) => i.value).sort()).toEqual(['198.51.100.1', '203.0.113.7']);
    expect(reports.some((r) => r.some((i) => i.value === '203.0.113.8'))).toBe(false);
  });

  it('leaves a page that never stops changing to the sliced, budgeted path', async () => {
    const slowDetect: PageScannerOptions['detect'] = (text) => {
      const until = performance.now() + 3;
      while (performance.now() < until) {
        // A detection pass that costs 3 ms.
      }
      return detect(text);
    };
    const { scanner } = setup('<div id="log"><p>203.0.113.1</p></div>', {
      detect: slowDetect,
      budget: { maxChars: 10_000_000, maxHits: 100_000, windowMs: 200, maxBusyShare: 0.25, maxDelayMs: 400 },
    });
    await settle(scanner);
    const log = document.getElementById('log') as HTMLElement;
    const t0 = performance.now();
    const busy0 = scanner.stats.busyMs;
    let n = 0;
    while (performance.now() - t0 < 1000) {
      const p = document.createElement('p');
      p.textContent = `line ${n++} 198.51.100.${n % 250}`;
      log.append(p);
      await new Promise((r) => setTimeout(r, 1));
    }
    const share = (scanner.stats.busyMs - busy0) / (performance.now() - t0);
    // Without the budget the scanner would be busy most of the time (3 ms of detection per 1 ms tick).
    expect(share).toBeLessThan(0.45);
    expect(scanner.stats.fastRuns).toBeLessThan(n / 2);
  });

  it('reads the page while waiting for the go-ahead, but shows, reports and asks nothing before it', async () => {
    document.body.innerHTML = '<p>203.0.113.5 T1059.001</p>';
    const { sink, texts } = recordingSink();
    const reports: unknown[] = [];
    const asked: string[][] = [];
    const make = () =>
      new PageScanner({
        doc: document,
        detect,
        sink,
        report: (indicators) => reports.push(indicators),
        reportEveryMs: 0,
        lookupKnowledge: async (ids) => {
          asked.push(ids);
          return null;
        },
        makeRange: (p) => {
          const range = document.createRange();
          range.setStart(p.startNode, p.startOffset);
          range.setEnd(p.endNode, p.endOffset);
          return range;
        },
      });
    const denied = make();
    scanners.push(denied);
    // Prepared is not idle (that waits for the go-ahead): wait for the reading itself.
    const read = async (scanner: PageScanner) => {
      for (let i = 0; i < 100 && scanner.stats.hits === 0; i++) await new Promise((r) => setTimeout(r, 5));
    };
    denied.prepare();
    await read(denied);
    expect(denied.stats.hits).toBe(1); // read (the id waits for the knowledge base)
    expect(texts()).toEqual([]);
    denied.stop();
    await new Promise((r) => setTimeout(r, 10));
    expect(reports).toEqual([]);
    expect(asked).toEqual([]);

    const allowed = make();
    scanners.push(allowed);
    allowed.prepare();
    await read(allowed);
    expect(texts()).toEqual([]);
    allowed.start();
    await settle(allowed);
    await new Promise((r) => setTimeout(r, 10));
    expect(texts()).toEqual(['attack:T1059.001', 'network:203.0.113.5']);
    expect(asked).toEqual([['T1059.001']]);
    expect(reports.length).toBeGreaterThan(0);
  });

  it('re-reads a line when an inline element is inserted into it', async () => {
    const { scanner, texts } = setup('<p id="p">host 10.9.8.</p>');
    await settle(scanner);
    expect(texts()).toEqual([]);
    const em = document.createElement('em');
    em.textContent = '7';
    document.getElementById('p')?.append(em);
    await settle(scanner);
    expect(texts()).toEqual(['network:10.9.8.7']);
  });

  it('reports the frame set after changes and an empty set when stopped', async () => {
    const { scanner, reports } = setup('<p>CVE-2023-23397 and CVE-2023-23397</p>');
    await settle(scanner);
    await new Promise((r) => setTimeout(r, 5));
    expect(reports.at(-1)).toEqual([{ type: 'cve', value: 'CVE-2023-23397', count: 2 }]);
    scanner.stop();
    expect(reports.at(-1)).toEqual([]);
  });

  it('hides ids the knowledge base does not know and keeps the known ones with their names', async () => {
    const asked: string[][] = [];
    const lookup: KnowledgeLookup = async (ids) => {
      asked.push(ids);
      return { 'T1059.001': { status: 'current', name: 'PowerShell' }, T9999: { status: 'unknown' } };
    };
    const { scanner, texts } = setup('<p>T1059.001 then T9999</p>', { lookupKnowledge: lookup });
    await settle(scanner);
    expect(asked).toEqual([['T1059.001', 'T9999']]);
    expect(texts()).toEqual(['attack:T1059.001']);
    expect(scanner.indicators().map((i) => i.value)).toEqual(['T1059.001']);
    const node = document.querySelector('p')?.firstChild as Text;
    expect(scanner.hitAt(node, 3)?.knowledge?.name).toBe('PowerShell');
  });

  it('shows every id when there is no knowledge base yet', async () => {
    const { scanner, texts } = setup('<p>T1059.001 then T9999</p>', { lookupKnowledge: async () => null });
    await settle(scanner);
    expect(texts()).toEqual(['attack:T1059.001', 'attack:T9999']);
  });

  it('finds every indicator of a huge single text node exactly once, window by window', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++)
      lines.push(`${i} GET /index from 198.51.${Math.floor(i / 250)}.${i % 250}`);
    const { scanner } = setup(`<pre id="dump"></pre>`);
    (document.getElementById('dump') as HTMLElement).textContent = lines.join('\n');
    await settle(scanner);
    const total = scanner.indicators().reduce((sum, i) => sum + i.count, 0);
    expect(total).toBe(6000);
    expect(scanner.indicators()).toHaveLength(6000);
  });

  it('stops reading new text once the page budget is spent', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `<p>row ${i} 203.0.113.${i % 250}</p>`).join('');
    const { scanner } = setup(rows, {
      budget: { maxChars: 1000, maxHits: 100_000, windowMs: 1000, maxBusyShare: 1, maxDelayMs: 10 },
    });
    await settle(scanner);
    expect(scanner.stats.budget).toBe('character budget spent');
    expect(scanner.stats.hits).toBeGreaterThan(0);
    expect(scanner.stats.hits).toBeLessThan(200);
  });

  it('paints only the families asked for, and all of them again when asked', async () => {
    const { scanner, texts } = setup('<p>10.0.0.1 5f4dcc3b5aa765d61d8327deb882cf99</p>');
    await settle(scanner);
    scanner.setFamilies(new Set(['hash']));
    expect(texts()).toEqual(['hash:5f4dcc3b5aa765d61d8327deb882cf99']);
    expect(scanner.indicators()).toHaveLength(2);
    scanner.setFamilies(undefined);
    expect(texts()).toHaveLength(2);
  });
});
