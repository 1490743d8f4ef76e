import type { PreparedModel } from './prepareModel.ts';
import type { ProfileKind } from './types.ts';

/** Tuning knobs of the scorer. The defaults are the values the evaluation (`npm run eval:hints`) supports. */
export interface ScoreParams {
  /** How much a profile of each kind counts as evidence. */
  kindWeight: Record<ProfileKind, number>;
  /** Exponent on the IDF weight of an observed technique (rare techniques say more about who is acting). */
  idfPower: number;
  /** Number of nearest profiles whose techniques are proposed. */
  neighbours: number;
  /** Sharpening of neighbour similarities. */
  similarityPower: number;
  /** Weight of shared technique families (T1059.001 and T1059.003 share T1059) in profile similarity. */
  familyWeight: number;
  /** Blend of the three evidence sources (each normalised to sum 1 first). */
  weightNeighbours: number;
  weightCooccurrence: number;
  weightPopularity: number;
  /** Weight of the linear item-to-item model (see linearModel.ts). */
  weightLinear: number;
  /** Smoothing of P(t | observed o) towards popularity, in pseudo-profiles. */
  cooccurrenceSmoothing: number;
  /**
   * Labelling convention of the observed set. Reports tag either sub-techniques alone (like ATT&CK), both a
   * sub-technique and its parent, or parents alone. `parentPrior` is how often a sub-technique comes with its
   * parent when nothing is observed (ATT&CK: ~7%), `parentPriorStrength` how many observations it is worth;
   * `hiddenShare` the expected share of a report that is not observed. With `parentOnlyMin` or more observed parent
   * techniques and no sub-technique, the set is read as labelled at parent level and families are ranked as parents.
   */
  parentPrior: number;
  parentPriorStrength: number;
  hiddenShare: number;
  parentOnlyMin: number;
  /** Weight, relative to the best candidate, of a parent whose sub-technique was observed (times its chance). */
  parentSeenScale: number;
  /** Weight of a parent's sub-techniques' scores (times the estimated share of labelled parents). */
  familyScale: number;
  /** Multiplier for techniques whose every tactic comes before the earliest observed tactic. */
  earlierTacticFactor: number;
  /** Multiplier for techniques that bring a tactic the observed set does not cover yet. */
  newTacticFactor: number;
}

export const DEFAULT_PARAMS: ScoreParams = {
  kindWeight: { group: 1, campaign: 1, software: 0.5 },
  idfPower: 1,
  neighbours: 30,
  similarityPower: 2,
  familyWeight: 1,
  weightNeighbours: 0.8,
  weightCooccurrence: 0.2,
  weightPopularity: 0.02,
  weightLinear: 1,
  cooccurrenceSmoothing: 2,
  parentPrior: 0.07,
  parentPriorStrength: 2,
  hiddenShare: 0.2,
  parentOnlyMin: 3,
  parentSeenScale: 5,
  familyScale: 0.3,
  earlierTacticFactor: 0.9,
  newTacticFactor: 1,
};

export interface ScoreDetail {
  scores: Float64Array;
  /** Neighbour profiles (index, similarity), best first. */
  neighbours: [number, number][];
}

/** What depends on the model and the parameters only, computed once per (model, parameters) pair. */
interface Weights {
  /** Evidence weight of each profile (its kind's weight). */
  profileWeight: Float64Array;
  /** Weighted number of profiles using each technique. */
  df: Float64Array;
  idf: Float64Array;
  /** IDF of technique families (for the family part of the similarity). */
  familyIdf: Float64Array;
  /** Popularity, normalised to sum 1. */
  pop: Float64Array;
  /** Norm of each profile's weighted vector. */
  profileNorm: Float64Array;
  /** Weighted co-occurrence counts, n x n, row-major. */
  cooccurrence: Float32Array;
}

const weightsCache = new WeakMap<PreparedModel, WeakMap<ScoreParams, Weights>>();

function weightsFor(m: PreparedModel, params: ScoreParams): Weights {
  let byParams = weightsCache.get(m);
  if (!byParams) {
    byParams = new WeakMap();
    weightsCache.set(m, byParams);
  }
  const hit = byParams.get(params);
  if (hit) return hit;
  const { n, profileTechniques, profileKinds } = m;
  const profiles = profileTechniques.length;
  const profileWeight = Float64Array.from(profileKinds, (k) => params.kindWeight[k]);
  const df = new Float64Array(n);
  let totalWeight = 0;
  for (let p = 0; p < profiles; p++) {
    const w = profileWeight[p]!;
    totalWeight += w;
    const ts = profileTechniques[p]!;
    for (let i = 0; i < ts.length; i++) df[ts[i]!]! += w;
  }
  const idfOf = (count: number) => Math.log(1 + totalWeight / (count + 1)) ** params.idfPower;
  const idf = Float64Array.from(df, idfOf);
  const familyIdf = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    const list = m.familyPostings[f]!;
    if (!list.length) continue;
    let d = 0;
    for (let i = 0; i < list.length; i++) d += profileWeight[list[i]!]!;
    familyIdf[f] = idfOf(d);
  }
  const beta = params.familyWeight;
  const profileNorm = new Float64Array(profiles);
  const cooccurrence = new Float32Array(n * n);
  for (let p = 0; p < profiles; p++) {
    const ts = profileTechniques[p]!;
    let norm = 0;
    for (let i = 0; i < ts.length; i++) norm += idf[ts[i]!]! ** 2;
    if (beta > 0) for (const f of m.profileFamilies[p]!) norm += beta * familyIdf[f]! ** 2;
    profileNorm[p] = Math.sqrt(norm);
    const w = profileWeight[p]!;
    for (let i = 0; i < ts.length; i++) {
      const row = ts[i]! * n;
      for (let j = 0; j < ts.length; j++) cooccurrence[row + ts[j]!]! += w;
    }
  }
  const weights = {
    profileWeight,
    df,
    idf,
    familyIdf,
    pop: normalise(Float64Array.from(df)),
    profileNorm,
    cooccurrence,
  };
  byParams.set(params, weights);
  return weights;
}

/** Scores every technique for an observed set (technique indices, already resolved and deduplicated). */
export function scoreTechniques(m: PreparedModel, observed: number[], params: ScoreParams): ScoreDetail {
  const { n, profileTechniques, postings } = m;
  const { profileWeight, df, idf, familyIdf, pop, profileNorm, cooccurrence } = weightsFor(m, params);

  // Neighbours: IDF-weighted cosine between the observed set and each profile, on techniques and families.
  const dot = new Float64Array(profileTechniques.length);
  let qnorm = 0;
  for (const o of observed) {
    const w = idf[o]! * idf[o]!;
    qnorm += w;
    const list = postings[o]!;
    for (let i = 0; i < list.length; i++) dot[list[i]!]! += w;
  }
  const beta = params.familyWeight;
  if (beta > 0) {
    for (const f of new Set(observed.map((o) => m.family[o]!))) {
      const w = beta * familyIdf[f]! * familyIdf[f]!;
      qnorm += w;
      const list = m.familyPostings[f]!;
      for (let i = 0; i < list.length; i++) dot[list[i]!]! += w;
    }
  }
  qnorm = Math.sqrt(qnorm);
  const candidates: [number, number][] = [];
  for (let p = 0; p < dot.length; p++) {
    if (dot[p]! > 0) candidates.push([p, dot[p]! / (qnorm * profileNorm[p]!)]);
  }
  candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const neighbours = candidates.slice(0, params.neighbours);
  const knn = new Float64Array(n);
  for (const [p, sim] of neighbours) {
    const w = profileWeight[p]! * sim ** params.similarityPower;
    const ts = profileTechniques[p]!;
    for (let i = 0; i < ts.length; i++) knn[ts[i]!]! += w;
  }
  normalise(knn);

  // Co-occurrence: sum over observed o of P(t | o), smoothed towards popularity, weighted by idf(o).
  const cooc = new Float64Array(n);
  const alpha = params.cooccurrenceSmoothing;
  for (const o of observed) {
    const scale = idf[o]! / (df[o]! + alpha);
    const row = o * n;
    for (let t = 0; t < n; t++) cooc[t]! += scale * (cooccurrence[row + t]! + alpha * pop[t]!);
  }
  normalise(cooc);

  // Linear item-to-item model.
  const linear = new Float64Array(n);
  if (params.weightLinear > 0) {
    for (const o of observed) {
      const [targets, weights] = m.model.linear[o]!;
      for (let i = 0; i < targets.length; i++) linear[targets[i]!]! += weights[i]!;
    }
    normalise(linear);
  }

  const scores = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    scores[t] =
      params.weightNeighbours * knn[t]! +
      params.weightCooccurrence * cooc[t]! +
      params.weightPopularity * pop[t]! +
      params.weightLinear * linear[t]!;
  }

  // Kill-chain order and tactic coverage.
  if (observed.length && (params.earlierTacticFactor !== 1 || params.newTacticFactor !== 1)) {
    let earliest = Number.POSITIVE_INFINITY;
    const covered = new Set<number>();
    for (const o of observed) {
      earliest = Math.min(earliest, m.firstTactic[o]!);
      for (const ta of m.model.techniqueTactics[o]!) covered.add(ta);
    }
    for (let t = 0; t < n; t++) {
      if (m.lastTactic[t]! < earliest) scores[t]! *= params.earlierTacticFactor;
      const tt = m.model.techniqueTactics[t]!;
      if (tt.length && tt.every((ta) => !covered.has(ta))) scores[t]! *= params.newTacticFactor;
    }
  }
  applyConvention(m, observed, scores, params);
  return { scores, neighbours };
}

/** Re-ranks parents and sub-techniques for the labelling convention the observed set shows (see `ScoreParams`). */
function applyConvention(
  m: PreparedModel,
  observed: number[],
  scores: Float64Array,
  params: ScoreParams,
): void {
  const parents = m.model.parents;
  const seen = new Set(observed);
  let subs = 0;
  let subsWithParent = 0;
  let parentsWithChildren = 0;
  for (const o of observed) {
    const parent = parents[o]!;
    if (parent >= 0) {
      subs++;
      if (seen.has(parent)) subsWithParent++;
    } else if (m.children[o]!.length) parentsWithChildren++;
  }
  let top = 0;
  for (let t = 0; t < m.n; t++) if (!seen.has(t) && scores[t]! > top) top = scores[t]!;
  if (subs === 0 && parentsWithChildren >= params.parentOnlyMin) {
    // Parent-level labels: a family's chance is its own plus its sub-techniques'.
    for (let t = 0; t < m.n; t++) {
      const kids = m.children[t]!;
      if (!kids.length) continue;
      let family = scores[t]!;
      for (const c of kids) {
        family += scores[c]!;
        scores[c]! *= 0.1;
      }
      scores[t] = family;
    }
    return;
  }
  // Share of sub-techniques that come with their parent, estimated from the observed set (Beta prior).
  // Observed pairs are the report's pairs with both halves observed, hence the division by (1 - h).
  const h = params.hiddenShare;
  const rho = Math.min(
    1,
    (params.parentPrior * params.parentPriorStrength + subsWithParent / (1 - h)) /
      (params.parentPriorStrength + subs),
  );
  // P(parent hidden | a sub-technique observed, the parent not observed).
  const hiddenParent = (h * rho) / (1 - (1 - h) * rho);
  for (let t = 0; t < m.n; t++) {
    const kids = m.children[t]!;
    if (!kids.length || seen.has(t)) continue;
    let family = 0;
    let childSeen = false;
    for (const c of kids) {
      if (seen.has(c)) childSeen = true;
      else family += scores[c]!;
    }
    scores[t]! += childSeen ? hiddenParent * params.parentSeenScale * top : params.familyScale * rho * family;
  }
}

function normalise(a: Float64Array): Float64Array {
  let s = 0;
  for (const v of a) s += v;
  if (s > 0) for (let i = 0; i < a.length; i++) a[i]! /= s;
  return a;
}
