import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const bundle = path.resolve(repoRoot, '../shared/data/attack/enterprise-attack-18.1.json.gz');
const tsx = path.resolve(repoRoot, 'node_modules/.bin/tsx');
const hasData = existsSync(bundle);

async function hints(...args: string[]): Promise<string> {
  const { stdout } = await run(tsx, ['scripts/hints.ts', '--attack', bundle, ...args], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

interface CliHint {
  id: string;
  score: number;
  why: string;
}

describe.skipIf(!hasData)('hints CLI on ATT&CK Enterprise 18.1', () => {
  it('prints one JSON array of { id, score, why }, best first, without the observed ids, the same every time', async () => {
    const [first, second] = await Promise.all([
      hints('T1566.001', 'T1204.002', '--k', '15'),
      hints('T1566.001', 'T1204.002', '--k', '15'),
    ]);
    expect(second).toBe(first);
    expect(first.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(first) as CliHint[];
    expect(out).toHaveLength(15);
    for (const h of out) {
      expect(h.id).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(typeof h.score).toBe('number');
      expect(h.why.length).toBeGreaterThan(20);
    }
    expect(out.map((h) => h.id)).not.toContain('T1566.001');
    expect(out.map((h) => h.id)).not.toContain('T1204.002');
    const scores = out.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Phishing with a malicious attachment leads to scripting and tool transfer in ATT&CK's groups.
    expect(out.slice(0, 10).map((h) => h.id)).toEqual(expect.arrayContaining(['T1105']));
  }, 120_000);

  it('answers a --batch file line by line, in order, like separate calls (default k = 20)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'riposte-hints-'));
    const file = path.join(dir, 'batch.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify(['T1566.001', 'T1204.002']),
        JSON.stringify(['T1003.001', 'T1021.002', 'T1086']),
        '[]',
        JSON.stringify(['T1486', 'T1490']),
      ].join('\n'),
    );
    const [batch, single] = await Promise.all([
      hints('--batch', file),
      hints('T1003.001', 'T1021.002', 'T1086'),
    ]);
    const lines = batch.trim().split('\n');
    expect(lines).toHaveLength(4);
    const parsed = lines.map((l) => JSON.parse(l) as CliHint[]);
    for (const p of parsed) expect(p).toHaveLength(20);
    expect(lines[1]).toBe(single.trim());
    // T1086 (PowerShell, revoked) counts as T1059.001, which is therefore not suggested.
    expect(parsed[1]!.map((h) => h.id)).not.toContain('T1059.001');
    expect(parsed[3]!.map((h) => h.id)).not.toContain('T1486');
    expect(parsed[0]).not.toEqual(parsed[3]);
  }, 120_000);

  it('fails with a one-line message on a missing bundle', async () => {
    await expect(
      run(tsx, ['scripts/hints.ts', '--attack', path.join(repoRoot, 'no-such-bundle.json'), 'T1059'], {
        cwd: repoRoot,
      }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^cannot read .*no-such-bundle\.json/),
    });
  }, 60_000);
});
