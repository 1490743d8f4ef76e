/**
 * The `detect` CLI, spawned as a user runs it: one JSON array on stdout (nothing else), exit 0, from a file or stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const script = path.join(repoRoot, 'scripts/detect.ts');

function run(args: string[], input?: string) {
  return spawnSync(tsx, [script, ...args], { cwd: repoRoot, input, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run -s detect', () => {
  const text = 'é hxxps[:]//evil[.]com/a from 😀 1.2.3.4 and T1059.001\n';
  const expected = [
    { type: 'url', value: 'https://evil.com/a', start: 2, end: 24 },
    { type: 'ipv4', value: '1.2.3.4', start: 33, end: 40 },
    { type: 'attack_technique', value: 'T1059.001', start: 45, end: 54 },
  ];

  it('reads a UTF-8 file and prints one JSON array with UTF-16 offsets', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'riposte-detect-'));
    const file = path.join(dir, 'in.txt');
    writeFileSync(file, text, 'utf8');
    const result = run([file]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('reads stdin when FILE is -', () => {
    const result = run(['-'], text);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected);
  }, 60_000);

  it('prints [] for text without indicators', () => {
    const result = run(['-'], 'nothing to see here\n');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('[]');
  }, 60_000);

  it('says what went wrong for a missing file, on stderr', () => {
    const result = run(['/nonexistent/file.txt']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/cannot read/);
  }, 60_000);
});
