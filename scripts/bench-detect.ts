/**
 * `npm run bench:detect`: Riposte's `detect` vs ioc-extractor (refang on) on the same corpora, in the same process:
 * (1) the text of the ATT&CK enterprise bundle (descriptions and external reference URLs), (2) a seeded ~20 MB
 * corpus of generated firewall / proxy / DNS / EDR log lines. Prints MB/s for each tool, the ratio, per-type counts,
 * and the floor: one pass of a simple regex over the same text. Numbers only; nothing is asserted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { extractIOC } from 'ioc-extractor';
import { detect } from '../lib/detect/index.ts';
import { generateLogCorpus } from './corpus/logs.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function attackText(): string {
  const file = path.resolve(repoRoot, '../shared/data/attack/enterprise-attack-18.1.json.gz');
  const bundle = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
    objects: { description?: string; external_references?: { url?: string; description?: string }[] }[];
  };
  const parts: string[] = [];
  for (const o of bundle.objects) {
    if (o.description) parts.push(o.description);
    for (const ref of o.external_references ?? []) if (ref.url) parts.push(ref.url);
  }
  return parts.join('\n');
}

/**
 * Median CPU seconds (user + system, this process) per run of each function. Runs are interleaved (one of each
 * per round, after a warm-up round), and CPU time rather than wall time is measured, so that other processes on a
 * shared machine slow neither tool down in the figures and the ratio stays meaningful.
 */
function timeInterleaved(
  fns: Record<string, () => unknown>,
  minRounds = 5,
  minSeconds = 20,
): Record<string, number> {
  const names = Object.keys(fns);
  for (const name of names) (fns[name] as () => unknown)();
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const started = performance.now();
  let rounds = 0;
  while (rounds < minRounds || ((performance.now() - started) / 1000 < minSeconds && rounds < 30)) {
    for (const name of names) {
      const t0 = process.cpuUsage();
      (fns[name] as () => unknown)();
      const used = process.cpuUsage(t0);
      (samples[name] as number[]).push((used.user + used.system) / 1e6);
    }
    rounds++;
  }
  const medians: Record<string, number> = {};
  for (const name of names) {
    const list = (samples[name] as number[]).sort((x, y) => x - y);
    medians[name] = list[Math.floor(list.length / 2)] as number;
  }
  return medians;
}

const FLOOR = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;

function floorPass(text: string): number {
  let n = 0;
  FLOOR.lastIndex = 0;
  while (FLOOR.exec(text) !== null) n++;
  return n;
}

function countsOf(text: string) {
  const riposte: Record<string, number> = {};
  const distinct: Record<string, Set<string>> = {};
  for (const i of detect(text)) {
    riposte[i.type] = (riposte[i.type] ?? 0) + 1;
    let set = distinct[i.type];
    if (!set) {
      set = new Set();
      distinct[i.type] = set;
    }
    set.add(i.value);
  }
  const ioc = extractIOC(text, { refang: true }) as unknown as Record<string, string[]>;
  const peer: Record<string, number> = {};
  for (const [key, values] of Object.entries(ioc)) if (values.length > 0) peer[key] = values.length;
  const unique: Record<string, number> = {};
  for (const [key, set] of Object.entries(distinct)) unique[key] = set.size;
  return { riposte, unique, peer };
}

function bench(name: string, text: string) {
  const mb = Buffer.byteLength(text, 'utf8') / 1e6;
  const t = timeInterleaved({
    riposte: () => detect(text),
    peer: () => extractIOC(text, { refang: true }),
    floor: () => floorPass(text),
  });
  const riposte = mb / (t.riposte as number);
  const peer = mb / (t.peer as number);
  const tFloor = t.floor as number;
  const counts = countsOf(text);
  console.log(`\n## ${name}: ${mb.toFixed(1)} MB`);
  console.log(`riposte        ${riposte.toFixed(1).padStart(8)} MB/s`);
  console.log(`ioc-extractor  ${peer.toFixed(1).padStart(8)} MB/s`);
  console.log(`ratio          ${(riposte / peer).toFixed(1).padStart(8)} x`);
  console.log(`floor (1 regex pass, IPv4 pattern) ${(mb / tFloor).toFixed(1)} MB/s`);
  console.log('riposte counts (occurrences):', JSON.stringify(counts.riposte));
  console.log('riposte counts (distinct):   ', JSON.stringify(counts.unique));
  console.log('ioc-extractor counts (distinct):', JSON.stringify(counts.peer));
}

bench('ATT&CK enterprise 18.1 text', attackText());
bench('generated SOC logs (seed 1337)', generateLogCorpus(20_000_000, 1337));
