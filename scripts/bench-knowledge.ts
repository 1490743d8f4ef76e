/**
 * `npm run bench:knowledge` (builds first): the knowledge import and queries in Chromium, with the built extension.
 *
 * The ATT&CK v18.1 enterprise bundle (33 MB of JSON) and the D3FEND ontology are served from 127.0.0.1, and the
 * extension's settings point at them. The import is the real one: the built background answering `kb.update`
 * ("Update now"). The floor and a per-stage CPU breakdown run in the same service worker, and the queries in an
 * extension page (where the side panel runs them), with lib/knowledge bundled here by esbuild and evaluated there
 * through the DevTools protocol, on the extension origin's IndexedDB.
 *
 * Prints: the floor (in the same worker, same run: `JSON.parse` of the bundle + the `n3` parse of the Turtle),
 * the full import (download from 127.0.0.1 + parse + cards + IndexedDB writes + commit) and its ratio to the floor,
 * the stored size, card query p50 / p95 over every current technique, search p95. Numbers only; nothing asserted.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { startFixtureServer } from '../test/e2e/server.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extensionDir = path.join(repoRoot, '.output/chrome-mv3');
const dataDir = path.resolve(repoRoot, '../shared/data');

/** The knowledge code as one script that defines `globalThis.RiposteBench`. */
async function bundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { Parser } from 'n3';
        import { openKnowledgeDatabase } from './lib/knowledge/db.ts';
        import { deriveStoredModels } from './lib/knowledge/background.ts';
        import { createKnowledgeQueries } from './lib/knowledge/queries.ts';
        import { CARD_INDEX_KEY, cardFromShards, readCardShards } from './lib/knowledge/card-shards.ts';
        import { parseStixBundle } from './lib/knowledge/stix.ts';
        import { parseD3fendTurtle } from './lib/knowledge/d3fend.ts';
        import { buildKnowledgeIndex } from './lib/knowledge/knowledge-index.ts';
        import { buildSnapshot } from './lib/knowledge/snapshot.ts';
        globalThis.RiposteBench = {
          async profile(attackUrl, d3fendUrl) {
            const out = {};
            let t = performance.now();
            const lap = (k) => { const n = performance.now(); out[k] = n - t; t = n; };
            const text = await (await fetch(attackUrl)).text();
            lap('fetch.text');
            const ttl = await (await fetch(d3fendUrl)).text();
            lap('fetch ttl');
            const json = JSON.parse(text);
            lap('JSON.parse');
            const a = parseStixBundle(json);
            lap('parseStixBundle');
            const d = parseD3fendTurtle(ttl);
            lap('parseD3fendTurtle');
            const index = buildKnowledgeIndex(a.value, d.value);
            lap('buildKnowledgeIndex');
            const snap = buildSnapshot(index);
            lap('buildSnapshot (all cards)');
            deriveStoredModels({ attack: a.value, d3fend: d.value, index });
            lap('derive hints');
            out.cardChars = snap.cards.reduce((n, c) => n + (c.json ? c.json.length : 0), 0);
            return out;
          },
          async floor(attackUrl, d3fendUrl, runs) {
            const attack = await (await fetch(attackUrl)).text();
            const ttl = await (await fetch(d3fendUrl)).text();
            const out = [];
            for (let i = 0; i < runs; i++) {
              const t0 = performance.now();
              JSON.parse(attack);
              const t1 = performance.now();
              new Parser().parse(ttl);
              const t2 = performance.now();
              out.push({ json: t1 - t0, n3: t2 - t1 });
            }
            return { runs: out, attackChars: attack.length, ttlChars: ttl.length };
          },
          async queries(searchQueries) {
            const queries = createKnowledgeQueries(openKnowledgeDatabase());
            const ids = (await queries.knownIds()).filter((id) => /^T\\d{4}(\\.\\d{3})?$/.test(id));
            const lookups = await queries.lookup(ids);
            const techniques = lookups.filter((l) => l.status === 'known' && !l.deprecated).map((l) => l.id);
            const card = [];
            let bytes = 0;
            for (const id of techniques) {
              const t = performance.now();
              const c = await queries.card(id);
              card.push(performance.now() - t);
              if (!c) throw new Error('no card for ' + id);
              bytes = Math.max(bytes, JSON.stringify(c).length);
            }
            const db = openKnowledgeDatabase();
            const generation = (await db.meta.get('active')).value.generation;
            const index = JSON.parse((await db.blobs.get([generation, CARD_INDEX_KEY])).json);
            const readMs = [];
            const parseMs = [];
            const shardCounts = [];
            for (const id of techniques) {
              const at = index.cards[id];
              const a = performance.now();
              const rows = await readCardShards(db, generation, index, at);
              const b = performance.now();
              if (!cardFromShards(rows, index, at)) throw new Error('unreadable card ' + id);
              parseMs.push(performance.now() - b);
              readMs.push(b - a);
              shardCounts.push(rows.length);
            }
            const t = performance.now();
            await queries.search('warm up');
            const searchFirst = performance.now() - t;
            const search = [];
            let top = null;
            for (const q of searchQueries) {
              const s = performance.now();
              const r = await queries.search(q, 20);
              search.push(performance.now() - s);
              if (q === 'powershell') top = r[0]?.id ?? null;
            }
            const s0 = performance.now();
            await queries.lookup(techniques.slice(0, 200));
            const lookup200 = performance.now() - s0;
            return { techniques: techniques.length, card, readMs, parseMs, shardCounts, search, searchFirst, powershellTop: top, largestCard: bytes, lookup200 };
          },
        };
      `,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    minify: false,
    logLevel: 'error',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced nothing');
  return file.text;
}

/**
 * Load the bundle in a context as the extension's own code would run: from a task of its own, not inside the
 * DevTools evaluation (which is exempt from the extension's CSP, and would make zod believe `new Function` works).
 */
async function load(target: { evaluate(code: string): Promise<unknown> }, code: string): Promise<void> {
  await target.evaluate(
    `new Promise((resolve, reject) => setTimeout(() => { try { ${code}\n; resolve(true); } catch (e) { reject(e); } }, 0))`,
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}
const median = (values: number[]) => percentile(values, 50);
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

/** Search queries an analyst would type: names, name prefixes, ids, id prefixes, typos. */
function searchQueries(): string[] {
  const raw = JSON.parse(
    gunzipSync(readFileSync(path.join(dataDir, 'attack/enterprise-attack-18.1.json.gz'))).toString('utf8'),
  ) as { objects: { type: string; name?: string; revoked?: boolean; x_mitre_deprecated?: boolean }[] };
  const names = raw.objects
    .filter((o) => o.type === 'attack-pattern' && !o.revoked && !o.x_mitre_deprecated && o.name)
    .map((o) => (o.name as string).toLowerCase());
  const out = ['powershell', 'T1059', 't1059.001', 'cozy bear', 'lsass', 'mimikatz', 'process spawn'];
  for (const [i, name] of names.entries()) {
    if (i % 3 === 0) out.push(name);
    if (i % 3 === 1) out.push(name.slice(0, Math.max(3, Math.ceil(name.length / 2))));
    if (i % 3 === 2 && name.length > 6) out.push(`${name.slice(0, 3)}${name.slice(4)}`); // one letter dropped
  }
  return out;
}

async function main(): Promise<void> {
  const attackGz = path.join(dataDir, 'attack/enterprise-attack-18.1.json.gz');
  const d3fendGz = path.join(dataDir, 'd3fend/d3fend-protege.ttl.gz');
  const attackJson = gunzipSync(readFileSync(attackGz));
  const ttl = gunzipSync(readFileSync(d3fendGz));
  const server = await startFixtureServer();
  // Served as the real sources are: plain JSON and Turtle with validators.
  server.route((req, res) => {
    const file = req.url?.startsWith('/bench/enterprise-attack.json')
      ? { body: attackJson, type: 'application/json' }
      : req.url?.startsWith('/bench/d3fend.ttl')
        ? { body: ttl, type: 'text/turtle' }
        : null;
    if (!file) return false;
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, etag: '"bench"' });
    res.end(file.body);
    return true;
  });
  const attackUrl = `${server.origin}/bench/enterprise-attack.json`;
  const d3fendUrl = `${server.origin}/bench/d3fend.ttl`;

  const code = await bundle();
  const profile = await mkdtemp(path.join(os.tmpdir(), 'riposte-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    await load(worker, code);

    type Floor = { runs: { json: number; n3: number }[]; attackChars: number; ttlChars: number };
    const floor = (await worker.evaluate(
      ([a, d]) =>
        (
          globalThis as unknown as {
            RiposteBench: { floor(a: string, d: string, n: number): Promise<unknown> };
          }
        ).RiposteBench.floor(a, d, 5),
      [attackUrl, d3fendUrl] as const,
    )) as Floor;
    const floorJson = median(floor.runs.map((r) => r.json));
    const floorN3 = median(floor.runs.map((r) => r.n3));
    const floorTotal = floorJson + floorN3;

    // Point the extension's settings at the local server, then import through the background, as "Update now" does.
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.evaluate(
      async ([a, d]) => {
        const key = 'riposte.settings';
        const stored = ((await chrome.storage.local.get(key))[key] ?? {}) as Record<string, unknown>;
        const knowledge = (stored.knowledge ?? {}) as Record<string, unknown>;
        await chrome.storage.local.set({
          [key]: {
            ...stored,
            knowledge: { ...knowledge, enterpriseUrl: a, d3fendUrl: d, autoUpdate: false },
          },
        });
        // Let a first-run download of the default sources (offline here) end.
        for (;;) {
          const status = (await chrome.runtime.sendMessage({ type: 'kb.status' })) as { progress: unknown };
          if (!status.progress) break;
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      [attackUrl, d3fendUrl] as const,
    );
    type Imported = {
      reply: { started: boolean; outcome?: { ok: boolean; error?: string } };
      total: number;
      phases: Record<string, number>;
      active: {
        counts: Record<string, number>;
        importMs: number;
        stages?: Record<string, number>;
      } | null;
      usage: number;
    };
    const runImport = async () =>
      (await page.evaluate(async () => {
        const phases: Record<string, number> = {};
        type Polled = { progress: { phase: string } | null; active: { generation: number } | null };
        const before = ((await chrome.runtime.sendMessage({ type: 'kb.status' })) as Polled).active
          ?.generation;
        const t0 = performance.now();
        let done = false;
        const polling = (async () => {
          while (!done) {
            const s = (await chrome.runtime.sendMessage({ type: 'kb.status' })) as Polled;
            if (s.progress && !(s.progress.phase in phases))
              phases[s.progress.phase] = performance.now() - t0;
            // The commit: the new generation is the one in use.
            if (s.active && s.active.generation !== before && !('commit' in phases))
              phases.commit = performance.now() - t0;
            await new Promise((r) => setTimeout(r, 25));
          }
        })();
        const reply = await chrome.runtime.sendMessage({ type: 'kb.update', wait: true });
        const total = performance.now() - t0;
        done = true;
        await polling;
        // Under load the poll may not run between the commit and the reply: then the reply is the bound.
        phases.commit ??= total;
        const status = (await chrome.runtime.sendMessage({ type: 'kb.status' })) as { active: unknown };
        const usage = (await navigator.storage.estimate()).usage ?? 0;
        return { reply, total, phases, active: status.active, usage };
      })) as Imported;
    const usageBefore = (await page.evaluate(() => navigator.storage.estimate())).usage ?? 0;
    const first = await runImport();
    if (!first.reply.outcome?.ok) throw new Error(`import failed: ${JSON.stringify(first.reply)}`);
    const second = await runImport();
    if (!second.reply.outcome?.ok) throw new Error(`import failed: ${JSON.stringify(second.reply)}`);
    const stages = (await worker.evaluate(
      ([a, d]) =>
        (
          globalThis as unknown as { RiposteBench: { profile(a: string, d: string): Promise<unknown> } }
        ).RiposteBench.profile(a, d),
      [attackUrl, d3fendUrl] as const,
    )) as Record<string, number>;

    await load(page, code);
    type Queried = {
      techniques: number;
      card: number[];
      readMs: number[];
      parseMs: number[];
      shardCounts: number[];
      search: number[];
      searchFirst: number;
      powershellTop: string | null;
      largestCard: number;
      lookup200: number;
    };
    const queries = (await page.evaluate(
      (qs) =>
        (
          globalThis as unknown as { RiposteBench: { queries(q: string[]): Promise<unknown> } }
        ).RiposteBench.queries(qs),
      searchQueries(),
    )) as Queried;

    const counts = first.active?.counts ?? {};
    const lines = [
      `Knowledge benchmark: ATT&CK Enterprise v18.1 (${(floor.attackChars / 1e6).toFixed(1)} MB JSON) + D3FEND (${(floor.ttlChars / 1e6).toFixed(1)} MB Turtle), served from 127.0.0.1`,
      `Chromium, built extension ${extensionId}: import by the background (kb.update, "Update now"), queries in an extension page; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
      '',
      `floor (same worker, median of 5): JSON.parse ${ms(floorJson)} + n3 parse ${ms(floorN3)} = ${ms(floorTotal)}`,
      `full import, empty database:  ${ms(first.total)}  (ratio to floor ${(first.total / floorTotal).toFixed(2)}x; goal <= 3x)`,
      `  phase starts (polled): ${Object.entries(first.phases)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}`,
      `  import without the download: ${ms(first.active?.importMs ?? Number.NaN)}`,
      `  stages timed by the import itself: ${Object.entries(first.active?.stages ?? {})
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}`,
      `  new knowledge in use (commit) after ${ms(first.phases.commit ?? Number.NaN)} (ratio ${((first.phases.commit ?? Number.NaN) / floorTotal).toFixed(2)}x)`,
      `full import, replacing it:    ${ms(second.total)}  (ratio ${(second.total / floorTotal).toFixed(2)}x; in use after ${ms(second.phases.commit ?? Number.NaN)}, then the old generation is deleted)`,
      `  CPU stages measured alone in the same worker: ${Object.entries(stages)
        .filter(([k]) => k !== 'cardChars')
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}; cards ${((stages.cardChars ?? 0) / 1e6).toFixed(1)} M chars of JSON`,
      `stored: ${((first.usage - usageBefore) / 1e6).toFixed(1)} MB (navigator.storage usage after the first import; ${((second.usage - usageBefore) / 1e6).toFixed(1)} MB after the second, the old generation deleted but not yet compacted)`,
      `  ${counts.cards} cards; ${counts.techniques} techniques + ${counts.subtechniques} sub-techniques, ${counts.groups} groups, ${counts.software} software, ${counts.campaigns} campaigns, ${counts.mitigations} mitigations, ${counts.detectionStrategies} detection strategies, ${counts.d3fendTechniques} D3FEND techniques`,
      `  D3FEND coverage: ${counts.techniquesWithCountermeasures} of ${(counts.techniques ?? 0) + (counts.subtechniques ?? 0)} current techniques have >= 1 countermeasure`,
      `card query over every current technique, in id order, through the queries (${queries.techniques}): p50 ${ms(median(queries.card))}, p95 ${ms(percentile(queries.card, 95))}, max ${ms(Math.max(...queries.card))} (goal p95 < 5 ms; largest card ${(queries.largestCard / 1024).toFixed(0)} KB)`,
      `  without the query's cache of the last 8 shards: the keyed read of the card's shard(s) (1 to ${Math.max(...queries.shardCounts)} rows of <= 60 KB): p50 ${ms(median(queries.readMs))}, p95 ${ms(percentile(queries.readMs, 95))}; decode + JSON.parse: p50 ${ms(median(queries.parseMs))}, p95 ${ms(percentile(queries.parseMs, 95))}`,
      `search (${queries.search.length} queries): p50 ${ms(median(queries.search))}, p95 ${ms(percentile(queries.search, 95))} (goal p95 < 10 ms); first search incl. index build ${ms(queries.searchFirst)}; "powershell" -> ${queries.powershellTop}`,
      `kb.lookup of 200 ids: ${ms(queries.lookup200)}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
