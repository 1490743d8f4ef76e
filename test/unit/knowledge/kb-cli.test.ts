import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCard } from '../../../lib/knowledge/card.ts';
import { parseD3fendTurtle } from '../../../lib/knowledge/d3fend.ts';
import { buildKnowledgeIndex } from '../../../lib/knowledge/knowledge-index.ts';
import { parseStixBundle } from '../../../lib/knowledge/stix.ts';
import { MINI_D3FEND_TTL, makeMiniBundle, toStix21 } from '../../fixtures/knowledge/mini-bundle.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let dir: string;

function kb(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts/kb.ts'), ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kb CLI', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'riposte-kb-'));
    writeFileSync(path.join(dir, 'attack.json.gz'), gzipSync(JSON.stringify(makeMiniBundle())));
    writeFileSync(path.join(dir, 'attack-21.json'), JSON.stringify(toStix21(makeMiniBundle())));
    writeFileSync(path.join(dir, 'd3fend.ttl'), MINI_D3FEND_TTL);
  });

  it('prints exactly the card the panel renders, for a 2.0 .json.gz bundle and a 2.1 .json one', () => {
    const parsed = parseStixBundle(makeMiniBundle());
    const ontology = parseD3fendTurtle(MINI_D3FEND_TTL);
    if (!parsed.ok || !ontology.ok) throw new Error('fixture does not parse');
    const expected = buildCard(buildKnowledgeIndex(parsed.value, ontology.value), 'T1003.001');
    for (const bundle of ['attack.json.gz', 'attack-21.json']) {
      const out = kb(
        '--attack',
        path.join(dir, bundle),
        '--d3fend',
        path.join(dir, 'd3fend.ttl'),
        't1003.001',
      );
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout)).toEqual(expected);
    }
  });

  it('resolves a revoked id and says so; an unknown id exits 1 with one line', () => {
    const revoked = kb('--attack', path.join(dir, 'attack.json.gz'), 'T1086');
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({
      id: 'T1059.001',
      resolvedFrom: { id: 'T1086', status: 'revoked', replacedBy: 'T1059.001' },
    });
    const unknown = kb('--attack', path.join(dir, 'attack.json.gz'), 'T9999');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('unknown id: T9999 is not in the knowledge base\n');
    const notStix = kb('--attack', path.join(dir, 'd3fend.ttl'), 'T1003');
    expect(notStix.code).toBe(1);
    expect(notStix.stderr.trim().split('\n')).toHaveLength(1);
    expect(notStix.stderr).toMatch(/d3fend\.ttl is not JSON/);
  });
});
