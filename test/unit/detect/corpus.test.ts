/**
 * A labelled corpus (test/fixtures/detect/corpus.txt, hand-labelled in corpus.expected.json: a threat report with
 * defanged IOCs, ATT&CK / D3FEND ids, traps that must stay unmarked, and firewall / proxy / DNS / EDR lines).
 * Precision and recall over exact (type, value, start, end) matches must both be 1.0.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/detect/index.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/detect');

interface Labelled {
  type: string;
  value: string;
  start: number;
  end: number;
  /** The text as written at [start, end), for the reader of the fixture. */
  text: string;
}

describe('labelled corpus', () => {
  const text = readFileSync(path.join(fixtures, 'corpus.txt'), 'utf8');
  const expected = JSON.parse(
    readFileSync(path.join(fixtures, 'corpus.expected.json'), 'utf8'),
  ) as Labelled[];

  it('the labels point at the text they name', () => {
    for (const label of expected) expect(text.slice(label.start, label.end)).toBe(label.text);
  });

  it('precision and recall are 1.0', () => {
    const key = (i: { type: string; value: string; start: number; end: number }) =>
      `${i.type}|${i.value}|${i.start}|${i.end}`;
    const truth = new Set(expected.map(key));
    const got = new Set(detect(text).map(key));
    const truePositives = [...got].filter((k) => truth.has(k)).length;
    const precision = got.size === 0 ? 0 : truePositives / got.size;
    const recall = truth.size === 0 ? 0 : truePositives / truth.size;
    expect({
      missed: [...truth].filter((k) => !got.has(k)),
      extra: [...got].filter((k) => !truth.has(k)),
    }).toEqual({
      missed: [],
      extra: [],
    });
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  });

  it('covers every indicator type at least once', () => {
    const types = new Set(expected.map((i) => i.type));
    for (const type of [
      'ipv4',
      'ipv6',
      'cidr',
      'domain',
      'url',
      'email',
      'md5',
      'sha1',
      'sha256',
      'cve',
      'btc',
    ]) {
      expect(types).toContain(type);
    }
    for (const type of ['asn', 'attack_technique', 'attack_tactic', 'attack_group', 'attack_software']) {
      expect(types).toContain(type);
    }
    for (const type of ['attack_mitigation', 'attack_campaign', 'd3fend_technique'])
      expect(types).toContain(type);
  });
});
