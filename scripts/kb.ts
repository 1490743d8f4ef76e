/**
 * `npm run -s kb -- --attack BUNDLE [--attack BUNDLE2 …] [--d3fend TTL] ID`
 *
 * Prints, as one JSON object, the card the side panel renders for ID (technique, tactic, group, software, campaign,
 * mitigation or D3FEND id), built by the same pure code the extension runs at import time. A revoked id prints its
 * replacement's card with `resolvedFrom` saying so. Unknown id: exit 1 with a one-line message on stderr.
 * BUNDLE is a STIX 2.0 or 2.1 bundle (`.json` or `.json.gz`); TTL is the D3FEND ontology (`.ttl` or `.ttl.gz`).
 */
import { parseArgs } from 'node:util';
import { buildCard } from '../lib/knowledge/card.ts';
import { buildKnowledgeIndex, normaliseId } from '../lib/knowledge/knowledge-index.ts';
import { loadAttackFile, loadD3fendFile } from '../lib/knowledge/load-file.ts';
import { mergeAttackData } from '../lib/knowledge/merge.ts';

const usage = 'usage: npm run -s kb -- --attack BUNDLE [--d3fend TTL] ID';

function fail(message: string): never {
  process.stderr.write(`${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: { attack: { type: 'string'; multiple: true }; d3fend: { type: 'string' } };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      options: { attack: { type: 'string', multiple: true }, d3fend: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    fail(`${(error as Error).message}; ${usage}`);
  }
  const { values, positionals } = parsed;
  if (!values.attack || values.attack.length === 0) fail(`missing --attack BUNDLE; ${usage}`);
  if (positionals.length !== 1) fail(`expected exactly one ID; ${usage}`);
  const id = normaliseId(positionals[0] as string);

  const bundles = [];
  for (const file of values.attack) {
    const data = await loadAttackFile(file);
    if (!data.ok) fail(data.error);
    bundles.push(data.value);
  }
  let d3fend = null;
  if (values.d3fend) {
    const ontology = await loadD3fendFile(values.d3fend);
    if (!ontology.ok) fail(ontology.error);
    d3fend = ontology.value;
  }
  const index = buildKnowledgeIndex(mergeAttackData(bundles), d3fend);
  const card = buildCard(index, id);
  if (!card) {
    const hint = /^D3-/.test(id) && !d3fend ? ' (pass --d3fend TTL to look up D3FEND ids)' : '';
    fail(`unknown id: ${id} is not in the knowledge base${hint}`);
  }
  process.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
}

main().catch((error: unknown) => fail(`kb failed: ${(error as Error).message}`));
