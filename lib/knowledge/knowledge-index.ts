/**
 * In-memory index over parsed ATT&CK (+ optional D3FEND) data: the lookups every card needs. Pure. Built once per
 * import (or once per CLI run); the cards, the id table and the search documents are all derived from it.
 */
import {
  type Countermeasure,
  D3FEND_TECHNIQUE_ID,
  type D3fendData,
  type D3fendTechnique,
  inferCountermeasures,
} from './d3fend.ts';
import {
  type AttackData,
  type AttackObject,
  allAttackObjects,
  isCurrent,
  type Relationship,
  type Tactic,
  type Technique,
} from './model.ts';

/** The kinds of card Riposte shows (one per detectable id family). */
export type CardKind = 'technique' | 'tactic' | 'group' | 'software' | 'campaign' | 'mitigation' | 'd3fend';

export type IdStatus = 'current' | 'deprecated' | 'revoked';

/** One row of the id table: every id Riposte knows, including revoked ones. */
export interface IdEntry {
  id: string;
  name: string;
  kind: CardKind;
  status: IdStatus;
  /** For a revoked id: the current id that replaced it (the end of the `revoked-by` chain), when there is one. */
  replacedBy?: string;
}

export interface KnowledgeIndex {
  attack: AttackData;
  d3fend: D3fendData | null;
  byStixId: Map<string, AttackObject>;
  /** `${domain}:${shortname}` -> tactic */
  tactics: Map<string, Tactic>;
  /** Current relationships (neither end revoked or deprecated), by source / target STIX id. */
  outgoing: Map<string, Relationship[]>;
  incoming: Map<string, Relationship[]>;
  /** STIX id of a revoked object -> STIX id of what revoked it. */
  revokedBy: Map<string, string>;
  /** Parent ATT&CK id -> its current sub-techniques, by id. */
  subtechniques: Map<string, Technique[]>;
  /** The card object of each id (after choosing among objects sharing an id). */
  objectById: Map<string, AttackObject>;
  /** ATT&CK id -> D3FEND countermeasures (empty without D3FEND). */
  countermeasures: Map<string, Countermeasure[]>;
  d3fendById: Map<string, D3fendTechnique>;
  d3fendByKey: Map<string, D3fendTechnique>;
  entries: Map<string, IdEntry>;
}

const CARD_KIND: Partial<Record<AttackObject['kind'], CardKind>> = {
  technique: 'technique',
  tactic: 'tactic',
  group: 'group',
  software: 'software',
  campaign: 'campaign',
  mitigation: 'mitigation',
};
const KIND_PRIORITY: CardKind[] = ['technique', 'tactic', 'group', 'software', 'campaign', 'mitigation'];

export function statusOf(object: { revoked: boolean; deprecated: boolean }): IdStatus {
  return object.revoked ? 'revoked' : object.deprecated ? 'deprecated' : 'current';
}

const STATUS_PRIORITY: Record<IdStatus, number> = { current: 0, deprecated: 1, revoked: 2 };

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Natural order of ATT&CK / D3FEND ids: T1003 < T1003.001 < T1003.002 < T1005 < T10000. */
export function compareIds(a: string, b: string): number {
  const ka = idSortKey(a);
  const kb = idSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const sortKeys = new Map<string, string>();
/** The id with every run of digits left-padded to 8, so that ordinal order is natural order. */
function idSortKey(id: string): string {
  let key = sortKeys.get(id);
  if (key === undefined) {
    key = id.replace(/\d+/g, (digits) => digits.padStart(8, '0'));
    if (sortKeys.size < 100_000) sortKeys.set(id, key);
  }
  return key;
}

export function buildKnowledgeIndex(attack: AttackData, d3fend: D3fendData | null): KnowledgeIndex {
  const objects = allAttackObjects(attack);
  const byStixId = new Map<string, AttackObject>(objects.map((o) => [o.stixId, o]));

  const tactics = new Map<string, Tactic>();
  for (const t of attack.tactics) {
    const key = `${t.domain}:${t.shortname}`;
    const existing = tactics.get(key);
    if (!existing || (isCurrent(t) && !isCurrent(existing))) tactics.set(key, t);
  }

  const outgoing = new Map<string, Relationship[]>();
  const incoming = new Map<string, Relationship[]>();
  const revokedBy = new Map<string, string>();
  for (const r of attack.relationships) {
    if (r.type === 'revoked-by') {
      revokedBy.set(r.sourceRef, r.targetRef);
      continue;
    }
    if (r.revoked || r.deprecated) continue;
    const source = byStixId.get(r.sourceRef);
    const target = byStixId.get(r.targetRef);
    if (!source || !target || !isCurrent(source) || !isCurrent(target)) continue;
    push(outgoing, r.sourceRef, r);
    push(incoming, r.targetRef, r);
  }

  const subtechniques = new Map<string, Technique[]>();
  for (const t of attack.techniques) if (t.parentId && isCurrent(t)) push(subtechniques, t.parentId, t);
  for (const list of subtechniques.values()) list.sort((a, b) => compareIds(a.id, b.id));

  // Which object an id means: the kind its prefix names first (a deprecated 2018 course-of-action can carry a
  // technique's id, T1086), then current before deprecated before revoked.
  const objectById = new Map<string, AttackObject>();
  const rank = (o: AttackObject): number => {
    const kind = CARD_KIND[o.kind] as CardKind;
    const expected = expectedKind(o.id);
    return (expected === kind ? 0 : 1000) + STATUS_PRIORITY[statusOf(o)] * 100 + KIND_PRIORITY.indexOf(kind);
  };
  for (const o of objects) {
    if (!CARD_KIND[o.kind]) continue;
    const existing = objectById.get(o.id);
    if (!existing || rank(o) < rank(existing)) objectById.set(o.id, o);
  }

  const entries = new Map<string, IdEntry>();
  for (const [id, o] of objectById) {
    const entry: IdEntry = { id, name: o.name, kind: CARD_KIND[o.kind] as CardKind, status: statusOf(o) };
    if (o.revoked) {
      const replacement = resolveReplacement(o.stixId, revokedBy, byStixId);
      if (replacement) entry.replacedBy = replacement.id;
    }
    entries.set(id, entry);
  }

  const countermeasures = d3fend ? inferCountermeasures(d3fend) : new Map<string, Countermeasure[]>();
  const d3fendById = new Map<string, D3fendTechnique>();
  const d3fendByKey = new Map<string, D3fendTechnique>();
  for (const t of d3fend?.techniques ?? []) {
    if (!D3FEND_TECHNIQUE_ID.test(t.id)) continue;
    d3fendById.set(t.id, t);
    d3fendByKey.set(t.key, t);
    if (!entries.has(t.id)) entries.set(t.id, { id: t.id, name: t.name, kind: 'd3fend', status: 'current' });
  }

  return {
    attack,
    d3fend,
    byStixId,
    tactics,
    outgoing,
    incoming,
    revokedBy,
    subtechniques,
    objectById,
    countermeasures,
    d3fendById,
    d3fendByKey,
    entries,
  };
}

/** Follow `revoked-by` to the first object that is not revoked (guarding against cycles). */
function resolveReplacement(
  stixId: string,
  revokedBy: Map<string, string>,
  byStixId: Map<string, AttackObject>,
): AttackObject | null {
  const seen = new Set<string>([stixId]);
  let next = revokedBy.get(stixId);
  while (next && !seen.has(next)) {
    seen.add(next);
    const object = byStixId.get(next);
    if (!object) return null;
    if (!object.revoked) return object;
    next = revokedBy.get(next);
  }
  return null;
}

/** The card kind an ATT&CK id's prefix names (`T1059` technique, `TA0002` tactic, `G0016` group, …). */
export function expectedKind(id: string): CardKind | null {
  if (/^TA\d{4}$/.test(id)) return 'tactic';
  if (/^T\d{4}(\.\d{3})?$/.test(id)) return 'technique';
  if (/^G\d{4}$/.test(id)) return 'group';
  if (/^S\d{4}$/.test(id)) return 'software';
  if (/^C\d{4}$/.test(id)) return 'campaign';
  if (/^M\d{4}$/.test(id)) return 'mitigation';
  if (/^D3-[A-Z0-9]+$/.test(id)) return 'd3fend';
  return null;
}

/** Normalise what a person typed or a page showed: trims, uppercases, turns `T1059/001` into `T1059.001`. */
export function normaliseId(raw: string): string {
  const id = raw.trim().toUpperCase();
  const slash = /^(T\d{4})\/(\d{3})$/.exec(id);
  return slash ? `${slash[1]}.${slash[2]}` : id;
}
