import { describe, expect, it } from 'vitest';
import { makeFolds, rankMetrics, withoutFold } from '../../../../lib/knowledge/hints/evaluateHints.ts';
import { syntheticCorpus } from './syntheticCorpus.ts';

describe('evaluation folds and metrics', () => {
  it('computes recall, precision and NDCG of a ranked list against the hidden set', () => {
    const m = rankMetrics(['A', 'X', 'B', 'Y'], ['A', 'B', 'C', 'D']);
    expect(m.recall10).toBe(0.5);
    expect(m.recall20).toBe(0.5);
    expect(m.precision10).toBeCloseTo(0.2);
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4) + 1 / Math.log2(5);
    expect(m.ndcg20).toBeCloseTo((1 + 1 / Math.log2(4)) / ideal);
  });

  it('holds out groups and campaigns with enough techniques, with what is attributed to them, reproducibly', () => {
    const corpus = syntheticCorpus();
    const folds = makeFolds(corpus, 0.5, 7, 2);
    // Ten groups and one campaign have at least two techniques; software is never held out.
    expect(folds.map((f) => f.profile.id)).not.toContain('S0001');
    expect(folds).toHaveLength(11);
    const campaign = folds.find((f) => f.profile.id === 'C0001')!;
    expect([...campaign.excluded].sort()).toEqual(['C0001', 'G0006']);
    const group = folds.find((f) => f.profile.id === 'G0006')!;
    expect([...group.excluded].sort()).toEqual(['C0001', 'G0006']);
    expect(withoutFold(corpus, group).profiles.map((p) => p.id)).not.toContain('C0001');
    const alpha = folds.find((f) => f.profile.id === 'G0001')!;
    expect(alpha.observed).toHaveLength(2);
    expect([...alpha.observed, ...alpha.hidden].sort()).toEqual([...alpha.profile.techniques].sort());
    expect(makeFolds(corpus, 0.5, 7, 2)).toEqual(folds);
  });
});
