import { resolveRevoked } from './buildHintsModel.ts';
import { type PreparedModel, prepareModel } from './prepareModel.ts';
import { DEFAULT_PARAMS, type ScoreParams, scoreTechniques } from './scoreTechniques.ts';
import type { Hint, HintReason, HintsModel } from './types.ts';

export interface SuggestOptions {
  /** Scorer parameters (the evaluation's choice by default). */
  params?: ScoreParams;
  /** Build `reasons` / `why` (on by default; the evaluation turns it off). */
  explain?: boolean;
}

/** How many example profile names a reason quotes. */
const EXAMPLES = 3;

/**
 * The adversary's likely next techniques given what was observed, best first, at most `k`. Observed ids may be
 * techniques or sub-techniques, revoked ids (they count as their replacement) or unknown ids (ignored); none of
 * them, nor their replacements, is ever suggested. Pure and synchronous; about a millisecond on ATT&CK Enterprise.
 */
export function suggest(
  model: HintsModel,
  observedIds: readonly string[],
  k = 20,
  options: SuggestOptions = {},
): Hint[] {
  const m = prepareModel(model);
  const observed = resolveObserved(m, observedIds);
  const seen = new Set(observed);
  const params = options.params ?? DEFAULT_PARAMS;
  const { scores, neighbours } = scoreTechniques(m, observed, params);
  const ranked: number[] = [];
  for (let t = 0; t < m.n; t++) if (!seen.has(t) && scores[t]! > 0) ranked.push(t);
  ranked.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const top = ranked.slice(0, Math.max(0, Math.floor(k)));
  const best = top.length ? scores[top[0]!]! : 1;
  const explain = options.explain ?? true;
  const context: ExplainContext = {
    observed,
    neighbours,
    isActor: Uint8Array.from(m.profileKinds, (kind) => (kind === 'software' ? 0 : 1)),
    usesT: new Uint8Array(m.profileTechniques.length),
    overlap: new Map(neighbours.slice(0, 10).map(([p]) => [p, overlap(m, p, observed)])),
  };
  return top.map((t) => {
    const reasons = explain ? explainHint(m, t, context) : [];
    return {
      id: model.techniques[t]!,
      name: model.techniqueNames[t]!,
      score: Math.max(0.0001, Math.round((scores[t]! / best) * 10000) / 10000),
      why: reasons.map((r) => r.text).join('; '),
      reasons,
      tactics: model.techniqueTactics[t]!.map((i) => model.tactics[i]!),
      prepare: model.techniqueCountermeasures[t]!.map((i) => {
        const [id, name] = model.countermeasures[i]!;
        return { id, name };
      }),
    };
  });
}

/** Observed ids -> technique indices: trimmed, upper-cased, revoked ids replaced, unknown dropped, deduplicated. */
export function resolveObserved(m: PreparedModel, ids: readonly string[]): number[] {
  const out = new Set<number>();
  for (const raw of ids) {
    if (typeof raw !== 'string') continue;
    const id = raw.trim().toUpperCase();
    let i = m.index.get(id);
    if (i === undefined) {
      const replacement = resolveRevoked(m.model.revoked, id);
      if (replacement !== undefined) i = m.index.get(replacement);
    }
    if (i !== undefined) out.add(i);
  }
  return [...out];
}

interface ExplainContext {
  observed: number[];
  neighbours: [number, number][];
  /** Per profile: 1 for a group or campaign, 0 for software. */
  isActor: Uint8Array;
  /** Scratch: per profile, 1 when it uses the technique being explained. */
  usesT: Uint8Array;
  /** Share of the observed set each of the 10 nearest profiles uses. */
  overlap: Map<number, number>;
}

/** The checkable reasons behind one hint, strongest first. */
function explainHint(m: PreparedModel, t: number, context: ExplainContext): HintReason[] {
  const { model } = m;
  const { observed, neighbours, isActor, usesT } = context;
  const reasons: HintReason[] = [];
  const name = (p: number) => model.profiles[p]![1];
  const kindOf = (p: number) => model.profiles[p]![2];
  const labelled = (p: number) => `${name(p)} (${model.profiles[p]![0]}, ${kindOf(p)})`;
  const postingsT = m.postings[t]!;
  for (let i = 0; i < postingsT.length; i++) usesT[postingsT[i]!] = 1;

  // Structure: parent / sub-technique of something observed.
  const parent = model.parents[t]!;
  const observedChildren = observed.filter((o) => model.parents[o] === t);
  if (observedChildren.length) {
    reasons.push({
      kind: 'structure',
      text: `parent technique of observed ${observedChildren.map((o) => model.techniques[o]).join(', ')}`,
    });
  } else if (parent >= 0 && observed.includes(parent)) {
    reasons.push({ kind: 'structure', text: `sub-technique of observed ${model.techniques[parent]}` });
  }

  // Co-occurrence with the observed technique that shares the most groups and campaigns with it.
  let bestO = -1;
  let bestScore = 0;
  for (const o of observed) {
    const list = m.postings[o]!;
    let actors = 0;
    let all = 0;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (usesT[p]) {
        all++;
        actors += isActor[p]!;
      }
    }
    const score = actors + all / 10000;
    if (score > bestScore) {
      bestScore = score;
      bestO = o;
    }
  }
  if (bestO >= 0) {
    const shared = Array.from(m.postings[bestO]!).filter((p) => usesT[p] === 1);
    const actorShared = shared.filter((p) => isActor[p] === 1);
    const pool = actorShared.length ? actorShared : shared;
    const total = actorShared.length ? m.total.group + m.total.campaign : m.total.software;
    const label = actorShared.length ? 'groups and campaigns' : 'software';
    const examples = pickExamples(pool, neighbours).map(name);
    reasons.push({
      kind: 'cooccurrence',
      text: `used together with ${model.techniques[bestO]} by ${pool.length} of ${total} ${label} (e.g. ${examples.join(', ')})`,
    });
  }

  // Whole-profile similarity: the nearest profiles that use it.
  // (With a single observed technique every profile using it is equally close: nothing to say.)
  const near = observed.length > 1 ? neighbours.slice(0, 10).filter(([p]) => usesT[p] === 1) : [];
  if (near.length) {
    reasons.push({
      kind: 'profiles',
      text: `in ${near.length} of the 10 profiles closest to what was observed (${near
        .slice(0, EXAMPLES)
        .map(([p]) => `${labelled(p)}: ${Math.round((context.overlap.get(p) ?? 0) * 100)}% of the observed`)
        .join('; ')})`,
    });
  }

  // Kill-chain order.
  const tactic = tacticReason(m, t, observed);
  if (tactic) reasons.push(tactic);

  if (bestO < 0 && !near.length) {
    const groups = m.count.group[t]! + m.count.campaign[t]!;
    const total = m.total.group + m.total.campaign;
    const examples = pickExamples(
      Array.from(postingsT).filter((p) => isActor[p] === 1),
      [],
    ).map(name);
    reasons.push({
      kind: 'cooccurrence',
      text: `among the most used techniques: ${groups} of ${total} groups and campaigns${
        examples.length ? ` (e.g. ${examples.join(', ')})` : ''
      }`,
    });
  }
  for (let i = 0; i < postingsT.length; i++) usesT[postingsT[i]!] = 0;
  return reasons;
}

/** Share of the observed techniques that a profile uses. */
function overlap(m: PreparedModel, p: number, observed: number[]): number {
  if (!observed.length) return 0;
  const ts = new Set(m.profileTechniques[p]!);
  return observed.filter((o) => ts.has(o)).length / observed.length;
}

/** Example profiles: the most similar ones first, then in corpus order. */
function pickExamples(pool: number[], neighbours: [number, number][]): number[] {
  const inPool = new Set(pool);
  const out = neighbours.map(([p]) => p).filter((p) => inPool.has(p));
  for (const p of pool) if (!out.includes(p)) out.push(p);
  return out.slice(0, EXAMPLES);
}

function tacticReason(m: PreparedModel, t: number, observed: number[]): HintReason | undefined {
  const { model } = m;
  const mine = model.techniqueTactics[t]!;
  if (!mine.length || !observed.length) return undefined;
  const seenTactics = new Set(observed.flatMap((o) => model.techniqueTactics[o]!));
  const same = mine.find((ta) => seenTactics.has(ta));
  if (same !== undefined) {
    const example = observed.find((o) => model.techniqueTactics[o]!.includes(same))!;
    return {
      kind: 'tactic',
      text: `${model.tacticNames[same]}, a tactic already observed (${model.techniques[example]})`,
    };
  }
  const first = Math.min(...mine);
  const before = [...seenTactics].filter((ta) => ta < first).sort((a, b) => b - a)[0];
  if (before !== undefined) {
    return {
      kind: 'tactic',
      text: `${model.tacticNames[first]}, typically follows ${model.tacticNames[before]}`,
    };
  }
  const after = [...seenTactics].sort((a, b) => a - b)[0]!;
  return {
    kind: 'tactic',
    text: `${model.tacticNames[first]}, typically precedes ${model.tacticNames[after]}`,
  };
}
