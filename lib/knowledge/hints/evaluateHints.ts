import type { HintsCorpus, HintsProfile } from './types.ts';

/** One held-out profile: the model is rebuilt without `excluded`, shown `observed` and asked for `hidden`. */
export interface Fold {
  profile: HintsProfile;
  excluded: Set<string>;
  observed: string[];
  hidden: string[];
}

export interface Metrics {
  recall10: number;
  recall20: number;
  precision10: number;
  ndcg20: number;
}

/**
 * Leave-one-out folds over the corpus's groups and campaigns with at least `minTechniques` techniques. A held-out
 * campaign also removes the groups it is attributed to; a held-out group also removes the campaigns attributed to
 * it (both would otherwise leak its techniques). A seeded random `reveal` fraction of its techniques is observed.
 */
export function makeFolds(corpus: HintsCorpus, reveal: number, seed: number, minTechniques = 6): Fold[] {
  const folds: Fold[] = [];
  const rand = mulberry32(seed);
  for (const profile of corpus.profiles) {
    if (profile.kind === 'software' || profile.techniques.length < minTechniques) continue;
    const excluded = new Set([profile.id, ...(profile.attributedTo ?? [])]);
    if (profile.kind === 'group') {
      for (const c of corpus.profiles) if (c.attributedTo?.includes(profile.id)) excluded.add(c.id);
    }
    const shuffled = [...profile.techniques].sort();
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const shown = Math.min(shuffled.length - 1, Math.max(1, Math.round(shuffled.length * reveal)));
    folds.push({ profile, excluded, observed: shuffled.slice(0, shown), hidden: shuffled.slice(shown) });
  }
  return folds;
}

/** The corpus without the fold's excluded profiles. */
export function withoutFold(corpus: HintsCorpus, fold: Fold): HintsCorpus {
  return { ...corpus, profiles: corpus.profiles.filter((p) => !fold.excluded.has(p.id)) };
}

/** Ranking metrics of one ranked list against the hidden set (binary relevance). */
export function rankMetrics(ranked: readonly string[], hidden: readonly string[]): Metrics {
  const relevant = new Set(hidden);
  const hitsAt = (k: number) => ranked.slice(0, k).filter((id) => relevant.has(id)).length;
  let dcg = 0;
  ranked.slice(0, 20).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(20, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return {
    recall10: relevant.size ? hitsAt(10) / relevant.size : 0,
    recall20: relevant.size ? hitsAt(20) / relevant.size : 0,
    precision10: hitsAt(10) / 10,
    ndcg20: ideal ? dcg / ideal : 0,
  };
}

export function meanMetrics(all: readonly Metrics[]): Metrics {
  const mean = (f: (m: Metrics) => number) =>
    all.length ? all.reduce((s, m) => s + f(m), 0) / all.length : 0;
  return {
    recall10: mean((m) => m.recall10),
    recall20: mean((m) => m.recall20),
    precision10: mean((m) => m.precision10),
    ndcg20: mean((m) => m.ndcg20),
  };
}

/** Small, fast, seeded PRNG (mulberry32) so that folds are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
