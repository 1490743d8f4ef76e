import { describe, expect, it } from 'vitest';
import { buildHintsModel, parseHintsModel, suggest } from '../../../../lib/knowledge/hints/index.ts';
import { syntheticCorpus } from './syntheticCorpus.ts';

const model = buildHintsModel(syntheticCorpus());
const ids = (observed: string[], k = 20) => suggest(model, observed, k).map((h) => h.id);

describe('suggest on a synthetic corpus', () => {
  it('ranks what groups use together with the observed techniques first, ahead of the most popular one', () => {
    const hints = ids(['T1566.001', 'T1204.002']);
    expect(hints[0]).toBe('T1053.005');
    expect(hints.indexOf('T1053.005')).toBeLessThan(hints.indexOf('T1082'));
  });

  it('never returns an observed id, a revoked alias of one, or the replacement of an observed revoked id', () => {
    const hints = ids(['T1082', 'T1086', 'T1566.001'], 50);
    expect(hints).not.toContain('T1082');
    expect(hints).not.toContain('T1566.001');
    expect(hints).not.toContain('T1059.001'); // T1086 was revoked by it
    expect(hints).not.toContain('T1086');
    // The revoked id counts as evidence: it behaves exactly like its replacement.
    expect(ids(['T1086'])).toEqual(ids(['T1059.001']));
  });

  it('ignores unknown ids and accepts ids in any case with stray spaces', () => {
    expect(ids(['T1566.001', 'T9999', 'not-an-id'])).toEqual(ids(['T1566.001']));
    expect(ids([' t1566.001 '])).toEqual(ids(['T1566.001']));
  });

  it('prefers a later tactic to an earlier one when the evidence is otherwise equal', () => {
    // T1595 (Reconnaissance) and T1657 (Impact) each come with phishing in two groups.
    const hints = ids(['T1566.001', 'T1204.002']);
    expect(hints.indexOf('T1657')).toBeLessThan(hints.indexOf('T1595'));
    const impact = suggest(model, ['T1566.001', 'T1204.002']).find((h) => h.id === 'T1657')!;
    expect(impact.why).toContain('Impact, typically follows Execution');
  });

  it('explains a hint with counts a person can check against the corpus', () => {
    const [first] = suggest(model, ['T1566.001', 'T1204.002'], 1);
    // 4 of the 10 groups + 1 campaign use T1053.005 together with T1566.001.
    expect(first!.why).toMatch(/used together with T1566\.001 by 4 of 11 groups and campaigns \(e\.g\. APT-/);
    expect(first!.reasons.map((r) => r.kind)).toContain('profiles');
    expect(first!.prepare).toEqual([{ id: 'D3-SJA', name: 'Scheduled Job Analysis' }]);
    expect(first!.name).toBe('Scheduled Task');
    expect(first!.tactics).toEqual(['execution', 'persistence']);
  });

  it('returns at most k hints, scores in (0, 1] and best first', () => {
    const hints = suggest(model, ['T1082'], 3);
    expect(hints).toHaveLength(3);
    expect(hints[0]!.score).toBe(1);
    for (let i = 1; i < hints.length; i++) {
      expect(hints[i]!.score).toBeGreaterThan(0);
      expect(hints[i]!.score).toBeLessThanOrEqual(hints[i - 1]!.score);
    }
    expect(suggest(model, ['T1082'], 0)).toEqual([]);
  });

  it('falls back to the most used techniques when nothing observed is known', () => {
    const hints = suggest(model, ['T0000'], 2);
    expect(hints[0]!.id).toBe('T1082');
    expect(hints[0]!.why).toMatch(/most used techniques: 7 of 11 groups and campaigns/);
  });

  it('proposes the parent when the observed set labels sub-techniques together with their parents', () => {
    const observed = ['T1566', 'T1566.001', 'T1204', 'T1204.002', 'T1053', 'T1053.005', 'T1059.001'];
    const [first] = suggest(model, observed, 1);
    expect(first!.id).toBe('T1059');
    expect(first!.why).toContain('parent technique of observed T1059.001');
    // Labelled like ATT&CK (sub-techniques alone), the parent is not pushed up.
    expect(ids(['T1566.001', 'T1204.002', 'T1059.001'])[0]).not.toBe('T1059');
  });

  it('answers with parent techniques when the observed set is labelled at parent level only', () => {
    const hints = ids(['T1566', 'T1204', 'T1059'], 2);
    expect(hints[0]).toBe('T1053');
  });
});

describe('the stored model', () => {
  it('is plain JSON and gives the same answers after a round trip', () => {
    const copy = JSON.parse(JSON.stringify(model));
    const parsed = parseHintsModel(copy);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(suggest(parsed.value, ['T1566.001'])).toEqual(suggest(model, ['T1566.001']));
  });

  it('is refused with an actionable message when it is broken', () => {
    const broken = { ...JSON.parse(JSON.stringify(model)), parents: [99999] };
    const parsed = parseHintsModel(broken);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/re-import the ATT&CK knowledge/);
    const wrong = parseHintsModel({ format: 'something-else' });
    expect(wrong.ok).toBe(false);
  });
});
