/**
 * `npm run -s hints -- --attack BUNDLE [--d3fend TTL] [--k 20] T1566.001 T1204.002`
 * `npm run -s hints -- --attack BUNDLE [--d3fend TTL] [--k 20] --batch FILE`
 *
 * Prints the adversary's likely next techniques as one JSON array of `{ id, score, why }` (plus `name`, and
 * `prepare`, the D3FEND countermeasures, when --d3fend is given), best first, never including the observed ids.
 * With --batch, FILE holds one JSON array of observed ids per line; the output is one JSON array per line, in the
 * same order, from a model built once. BUNDLE is a STIX 2.0 or 2.1 bundle (`.json` or `.json.gz`).
 * Unknown observed ids are ignored, revoked ones count as their replacement. Errors: exit 1, one line on stderr.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { inferCountermeasures } from '../lib/knowledge/d3fend.ts';
import {
  buildHintsModel,
  corpusFromAttack,
  type Hint,
  type HintsModel,
  suggest,
} from '../lib/knowledge/hints/index.ts';
import { loadAttackFile, loadD3fendFile } from '../lib/knowledge/load-file.ts';
import { mergeAttackData } from '../lib/knowledge/merge.ts';

const usage = 'usage: npm run -s hints -- --attack BUNDLE [--d3fend TTL] [--k 20] (ID… | --batch FILE)';

function fail(message: string): never {
  process.stderr.write(`${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

function output(hints: Hint[], withPrepare: boolean): object[] {
  return hints.map((h) => ({
    id: h.id,
    score: h.score,
    why: h.why,
    name: h.name,
    ...(withPrepare ? { prepare: h.prepare } : {}),
  }));
}

/** One batch line -> observed ids; a line that is not a JSON array of strings is reported and answered with []. */
function parseBatchLine(line: string, lineNumber: number, file: string): string[] {
  if (!line.trim()) return [];
  try {
    const value: unknown = JSON.parse(line);
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  } catch {
    // reported below
  }
  process.stderr.write(`${file}:${lineNumber}: not a JSON array of ids, answered with []\n`);
  return [];
}

async function main(): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        attack: { type: 'string'; multiple: true };
        d3fend: { type: 'string' };
        k: { type: 'string' };
        batch: { type: 'string' };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      options: {
        attack: { type: 'string', multiple: true },
        d3fend: { type: 'string' },
        k: { type: 'string' },
        batch: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    fail(`${(error as Error).message}; ${usage}`);
  }
  const { values, positionals } = parsed;
  if (!values.attack || values.attack.length === 0) fail(`missing --attack BUNDLE; ${usage}`);
  const k = values.k === undefined ? 20 : Number(values.k);
  if (!Number.isInteger(k) || k < 1) fail(`--k must be a positive integer, got ${values.k}; ${usage}`);
  if (values.batch !== undefined && positionals.length > 0)
    fail(`give either observed ids or --batch FILE; ${usage}`);

  let batch: string[] | undefined;
  if (values.batch !== undefined) {
    try {
      batch = (await readFile(values.batch, 'utf8')).split(/\r?\n/);
    } catch (error) {
      fail(`cannot read ${values.batch}: ${(error as Error).message}`);
    }
    while (batch.length && !batch[batch.length - 1]!.trim()) batch.pop();
  }

  const bundles = [];
  for (const file of values.attack) {
    const data = await loadAttackFile(file);
    if (!data.ok) fail(data.error);
    bundles.push(data.value);
  }
  let countermeasures: ReturnType<typeof inferCountermeasures> | undefined;
  if (values.d3fend) {
    const ontology = await loadD3fendFile(values.d3fend);
    if (!ontology.ok) fail(ontology.error);
    countermeasures = inferCountermeasures(ontology.value);
  }
  const model: HintsModel = buildHintsModel(corpusFromAttack(mergeAttackData(bundles), countermeasures));
  if (model.profiles.length === 0) fail('the bundle has no group, campaign or software using techniques');
  const withPrepare = countermeasures !== undefined;

  if (batch) {
    const lines = batch.map((line, i) =>
      JSON.stringify(output(suggest(model, parseBatchLine(line, i + 1, values.batch!), k), withPrepare)),
    );
    process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
    return;
  }
  const observed = positionals.flatMap((p) => p.split(/[\s,]+/)).filter(Boolean);
  process.stdout.write(`${JSON.stringify(output(suggest(model, observed, k), withPrepare))}\n`);
}

main().catch((error: unknown) => fail(`hints failed: ${(error as Error).message}`));
