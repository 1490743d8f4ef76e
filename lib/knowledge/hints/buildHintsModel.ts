import { invertInPlace, regularisedGram, sparseWeights } from './linearModel.ts';
import type { HintsCorpus, HintsModel, ProfileKind } from './types.ts';

/** Evidence weight of each kind of profile in the linear model (software says less about an intrusion). */
export const LINEAR_KIND_WEIGHT: Record<ProfileKind, number> = { group: 1, campaign: 1, software: 0.5 };
/** Ridge of the linear model and how many weights per technique it keeps. */
export const LINEAR_LAMBDA = 100;
export const LINEAR_KEEP = 40;

export interface BuildOptions {
  /**
   * The inverse regularised Gram matrix of exactly these profiles, when the caller has it (the evaluation derives
   * it from the full corpus's by removing the held-out profiles); computed otherwise.
   */
  inverse?: Float64Array;
  /** Weights kept per technique in the linear model. */
  keep?: number;
}

const KINDS: ReadonlySet<ProfileKind> = new Set(['group', 'campaign', 'software']);

/**
 * Builds the serialisable hints model from a corpus. Cheap (a few ms on ATT&CK Enterprise): the evidence is kept as
 * profiles (sparse technique lists) and everything else is derived when the model is first used.
 * Profiles' techniques that are revoked resolve to their replacement; unknown ids are dropped; empty profiles too.
 */
export function buildHintsModel(corpus: HintsCorpus, options: BuildOptions = {}): HintsModel {
  const techniques = [...corpus.techniques].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map<string, number>();
  for (const [i, t] of techniques.entries()) index.set(t.id, i);
  const tacticIndex = new Map<string, number>();
  for (const [i, t] of corpus.tactics.entries()) tacticIndex.set(t.shortname, i);

  const resolve = (id: string): number | undefined => {
    const live = index.get(id);
    if (live !== undefined) return live;
    const replacement = resolveRevoked(corpus.revoked, id);
    return replacement === undefined ? undefined : index.get(replacement);
  };

  const profiles: HintsModel['profiles'] = [];
  for (const p of corpus.profiles) {
    if (!KINDS.has(p.kind)) continue;
    const set = new Set<number>();
    for (const t of p.techniques) {
      const i = resolve(t);
      if (i !== undefined) set.add(i);
    }
    if (set.size === 0) continue;
    profiles.push([p.id, p.name, p.kind, [...set].sort((a, b) => a - b)]);
  }

  const countermeasures: [string, string][] = [];
  const cmIndex = new Map<string, number>();
  const techniqueCountermeasures = techniques.map((t) => {
    const list = corpus.countermeasures?.[t.id] ?? [];
    const out = new Set<number>();
    for (const c of list) {
      let i = cmIndex.get(c.id);
      if (i === undefined) {
        i = countermeasures.length;
        countermeasures.push([c.id, c.name]);
        cmIndex.set(c.id, i);
      }
      out.add(i);
    }
    return [...out];
  });

  const revoked: Record<string, string> = {};
  for (const old of Object.keys(corpus.revoked).sort()) {
    const to = resolveRevoked(corpus.revoked, old);
    if (to !== undefined && index.has(to) && !index.has(old)) revoked[old] = to;
  }

  const inverse = options.inverse ?? linearInverse(techniques.length, profiles);
  const linear = sparseWeights(inverse, techniques.length, options.keep ?? LINEAR_KEEP);

  return {
    format: 'riposte-hints',
    version: 1,
    techniques: techniques.map((t) => t.id),
    techniqueNames: techniques.map((t) => t.name),
    parents: techniques.map((t) => (t.parent === undefined ? -1 : (index.get(t.parent) ?? -1))),
    techniqueTactics: techniques.map((t) =>
      t.tactics.map((s) => tacticIndex.get(s)).filter((i): i is number => i !== undefined),
    ),
    tactics: corpus.tactics.map((t) => t.shortname),
    tacticNames: corpus.tactics.map((t) => t.name),
    profiles,
    revoked,
    countermeasures,
    techniqueCountermeasures,
    linear,
  };
}

/**
 * (XᵀX + λI)⁻¹ for a model's profiles (see linearModel.ts), n x n. Only techniques some profile uses are inverted
 * (the others' rows are just 1/λ on the diagonal), which saves about a third of the work on ATT&CK Enterprise.
 */
export function linearInverse(
  n: number,
  profiles: HintsModel['profiles'],
  lambda = LINEAR_LAMBDA,
): Float64Array {
  const used = [...new Set(profiles.flatMap((p) => p[3]))].sort((a, b) => a - b);
  const compact = new Map(used.map((t, i) => [t, i]));
  const u = used.length;
  const gram = regularisedGram(
    u,
    profiles.map((p) => p[3].map((t) => compact.get(t)!)),
    profiles.map((p) => LINEAR_KIND_WEIGHT[p[2]]),
    lambda,
  );
  invertInPlace(gram, u);
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inverse[i * n + i] = 1 / lambda;
  for (let a = 0; a < u; a++) {
    const row = used[a]! * n;
    for (let b = 0; b < u; b++) inverse[row + used[b]!] = gram[a * u + b]!;
  }
  return inverse;
}

/** Follows a chain of revocations (A revoked by B revoked by C) to its end; undefined when `id` is not revoked. */
export function resolveRevoked(revoked: Record<string, string>, id: string): string | undefined {
  let current = revoked[id];
  if (current === undefined) return undefined;
  for (let hops = 0; hops < 16; hops++) {
    const next: string | undefined = revoked[current];
    if (next === undefined) return current;
    current = next;
  }
  return current;
}
