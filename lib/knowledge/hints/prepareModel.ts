import type { HintsModel, ProfileKind } from './types.ts';

/** In-memory indexes derived from a stored model once, then reused by every `suggest` call. */
export interface PreparedModel {
  model: HintsModel;
  n: number;
  index: Map<string, number>;
  profileTechniques: Int32Array[];
  profileKinds: ProfileKind[];
  /** Per technique: the profiles that use it. */
  postings: Int32Array[];
  /** Per technique: number of profiles using it, by kind. */
  count: Record<ProfileKind, Float64Array>;
  /** Number of profiles of each kind. */
  total: Record<ProfileKind, number>;
  /** Per profile: the technique families (parent technique indices) it touches. */
  profileFamilies: Int32Array[];
  /** Per family (parent technique index): the profiles touching it. */
  familyPostings: Int32Array[];
  /** Per technique: its family (itself for a parent, its parent for a sub-technique). */
  family: Int32Array;
  /** Per technique: its sub-techniques. */
  children: number[][];
  /** Per technique: its earliest and latest tactic position in the kill chain. */
  firstTactic: Int32Array;
  lastTactic: Int32Array;
}

const cache = new WeakMap<HintsModel, PreparedModel>();

export function prepareModel(model: HintsModel): PreparedModel {
  const hit = cache.get(model);
  if (hit) return hit;
  const n = model.techniques.length;
  const index = new Map<string, number>();
  for (const [i, id] of model.techniques.entries()) index.set(id, i);
  const profileTechniques = model.profiles.map((p) => Int32Array.from(p[3]));
  const profileKinds = model.profiles.map((p) => p[2]);
  const lists: number[][] = Array.from({ length: n }, () => []);
  const count = {
    group: new Float64Array(n),
    campaign: new Float64Array(n),
    software: new Float64Array(n),
  };
  const total = { group: 0, campaign: 0, software: 0 };
  profileTechniques.forEach((ts, p) => {
    const kind = profileKinds[p]!;
    total[kind]++;
    for (const t of ts) {
      lists[t]!.push(p);
      count[kind][t]!++;
    }
  });
  const children: number[][] = Array.from({ length: n }, () => []);
  model.parents.forEach((parent, i) => {
    if (parent >= 0) children[parent]!.push(i);
  });
  const family = Int32Array.from(model.parents.map((parent, i) => (parent >= 0 ? parent : i)));
  const familyLists: number[][] = Array.from({ length: n }, () => []);
  const profileFamilies = profileTechniques.map((ts, p) => {
    const fams = [...new Set(Array.from(ts, (t) => family[t]!))].sort((a, b) => a - b);
    for (const f of fams) familyLists[f]!.push(p);
    return Int32Array.from(fams);
  });
  const firstTactic = new Int32Array(n);
  const lastTactic = new Int32Array(n);
  model.techniqueTactics.forEach((ts, i) => {
    firstTactic[i] = ts.length ? Math.min(...ts) : 0;
    lastTactic[i] = ts.length ? Math.max(...ts) : model.tactics.length - 1;
  });
  const prepared: PreparedModel = {
    model,
    n,
    index,
    profileTechniques,
    profileKinds,
    postings: lists.map((l) => Int32Array.from(l)),
    count,
    total,
    profileFamilies,
    familyPostings: familyLists.map((l) => Int32Array.from(l)),
    family,
    children,
    firstTactic,
    lastTactic,
  };
  cache.set(model, prepared);
  return prepared;
}
