/**
 * Cards: everything the side panel (and the `kb` CLI) shows for one id, as one plain JSON object. Pure: built from a
 * KnowledgeIndex, at import time for every id (stored in IndexedDB, so a card query is one indexed read) or on demand
 * by the CLI. The same function serves both, so the CLI prints exactly what the panel renders.
 */
import {
  type Countermeasure,
  D3FEND_TACTICS,
  type D3fendTactic,
  type D3fendTechnique,
  d3fendArtifactUrl,
} from './d3fend.ts';
import {
  type CardKind,
  compareIds,
  type IdStatus,
  type KnowledgeIndex,
  normaliseId,
  statusOf,
} from './knowledge-index.ts';
import type {
  AttackObject,
  Campaign,
  Group,
  Mitigation,
  Relationship,
  RelationshipType,
  Software,
  SourceReference,
  Tactic,
  Technique,
} from './model.ts';

/** A link to another card. */
export interface CardRef {
  id: string;
  name: string;
  url: string;
}

/** A related object plus the sentence ATT&CK gives for the relation ("APT29 has used PowerShell to …"). */
export interface Procedure extends CardRef {
  description: string;
}

export interface TacticRef extends CardRef {
  shortname: string;
}

export interface AnalyticInfo extends CardRef {
  platforms: string[];
  description: string;
  logSources: { name: string; channel: string; dataComponent: CardRef | null }[];
}

export interface DetectionStrategyInfo extends CardRef {
  analytics: AnalyticInfo[];
}

export interface CountermeasureGroup {
  tactic: D3fendTactic | 'Other';
  countermeasures: Countermeasure[];
}

/** Set when the id asked for was revoked: the card is its replacement's. */
export interface ResolvedFrom {
  id: string;
  name: string;
  status: 'revoked';
  replacedBy: string;
  /** "T1086 (PowerShell) was revoked; it is now T1059.001 (PowerShell)." */
  notice: string;
}

interface CardBase {
  kind: CardKind;
  id: string;
  name: string;
  url: string;
  status: IdStatus;
  description: string;
  version: string;
  modified: string;
  domains: string[];
  resolvedFrom?: ResolvedFrom;
  /** The sources the card's texts cite, so that `(Citation: name)` links to them (name -> url, description). */
  references?: SourceReference[];
}

export interface TechniqueCard extends CardBase {
  kind: 'technique';
  platforms: string[];
  isSubtechnique: boolean;
  /** In kill-chain (matrix) order. */
  tactics: TacticRef[];
  parent: CardRef | null;
  subtechniques: CardRef[];
  mitigations: Procedure[];
  detectionStrategies: DetectionStrategyInfo[];
  /** Legacy free-text detection (`x_mitre_detection`), '' in ATT&CK v18. */
  detection: string;
  groups: Procedure[];
  software: (Procedure & { softwareType: 'malware' | 'tool' })[];
  campaigns: Procedure[];
  /** D3FEND countermeasures grouped by D3FEND tactic, in D3FEND's tactic order; empty without D3FEND. */
  countermeasures: CountermeasureGroup[];
  /** False when no D3FEND ontology was imported (an empty `countermeasures` then means "unknown", not "none"). */
  d3fendLoaded: boolean;
  counts: {
    subtechniques: number;
    mitigations: number;
    detectionStrategies: number;
    groups: number;
    software: number;
    campaigns: number;
    countermeasures: number;
  };
}

export interface TacticCard extends CardBase {
  kind: 'tactic';
  shortname: string;
  /** Current techniques (not sub-techniques) of the tactic. */
  techniques: CardRef[];
}

export interface GroupCard extends CardBase {
  kind: 'group';
  aliases: string[];
  techniques: Procedure[];
  software: (Procedure & { softwareType: 'malware' | 'tool' })[];
  /** Campaigns attributed to the group. */
  campaigns: CardRef[];
  counts: { techniques: number; software: number; campaigns: number };
}

export interface SoftwareCard extends CardBase {
  kind: 'software';
  softwareType: 'malware' | 'tool';
  aliases: string[];
  platforms: string[];
  techniques: Procedure[];
  groups: Procedure[];
  campaigns: Procedure[];
  counts: { techniques: number; groups: number; campaigns: number };
}

export interface CampaignCard extends CardBase {
  kind: 'campaign';
  aliases: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** Groups the campaign is attributed to. */
  groups: CardRef[];
  techniques: Procedure[];
  software: (Procedure & { softwareType: 'malware' | 'tool' })[];
  counts: { techniques: number; software: number };
}

export interface MitigationCard extends CardBase {
  kind: 'mitigation';
  /** Techniques it mitigates, with how. */
  techniques: Procedure[];
  counts: { techniques: number };
}

export interface D3fendCard extends CardBase {
  kind: 'd3fend';
  tactic: D3fendTactic | null;
  /** Markdown "How it works" article. */
  article: string;
  synonyms: string[];
  parent: CardRef | null;
  children: CardRef[];
  /** Artifacts it acts on (own restrictions and inherited ones). */
  artifacts: { property: string; artifact: CardRef }[];
  /** Current ATT&CK techniques it counters, each with the best artifact path. */
  counters: (CardRef & { path: string })[];
  counts: { counters: number };
}

export type Card =
  | TechniqueCard
  | TacticCard
  | GroupCard
  | SoftwareCard
  | CampaignCard
  | MitigationCard
  | D3fendCard;

function ref(o: { id: string; name: string; url: string }): CardRef {
  return { id: o.id, name: o.name, url: o.url };
}

function base<K extends CardKind>(kind: K, o: AttackObject): CardBase & { kind: K } {
  return {
    kind,
    id: o.id,
    name: o.name,
    url: o.url,
    status: statusOf(o),
    description: o.description,
    version: o.version,
    modified: o.modified,
    domains: o.domains,
    ...citedIn(o),
  };
}

/** The object's sources that its description (or legacy detection text) actually cites, in the bundle's order. */
function citedIn(o: AttackObject): { references?: SourceReference[] } {
  const text = o.kind === 'technique' ? `${o.description}\n${o.detection}` : o.description;
  const names = new Set(
    [...text.matchAll(/\(Citation:\s*([^)]*?)\s*\)/g)].map((m) => (m[1] ?? '').toLowerCase()),
  );
  const cited = (o.references ?? []).filter((r) => names.has(r.name.trim().toLowerCase()));
  return cited.length > 0 ? { references: cited } : {};
}

function byId<T extends { id: string }>(list: T[]): T[] {
  return list.sort((a, b) => compareIds(a.id, b.id));
}

/** Related objects through current relationships of one type, in one direction. */
function related(
  index: KnowledgeIndex,
  stixId: string,
  direction: 'out' | 'in',
  type: RelationshipType,
  kinds: AttackObject['kind'][],
): { object: AttackObject; relationship: Relationship }[] {
  const list = (direction === 'out' ? index.outgoing : index.incoming).get(stixId) ?? [];
  const out: { object: AttackObject; relationship: Relationship }[] = [];
  const seen = new Set<string>();
  for (const r of list) {
    if (r.type !== type) continue;
    const object = index.byStixId.get(direction === 'out' ? r.targetRef : r.sourceRef);
    if (!object || !kinds.includes(object.kind) || seen.has(object.stixId)) continue;
    seen.add(object.stixId);
    out.push({ object, relationship: r });
  }
  return out;
}

function procedures(items: { object: AttackObject; relationship: Relationship }[]): Procedure[] {
  return byId(
    items.map(({ object, relationship }) => ({ ...ref(object), description: relationship.description })),
  );
}

function softwareProcedures(
  items: { object: AttackObject; relationship: Relationship }[],
): (Procedure & { softwareType: 'malware' | 'tool' })[] {
  return byId(
    items.map(({ object, relationship }) => ({
      ...ref(object),
      description: relationship.description,
      softwareType: (object as Software).softwareType,
    })),
  );
}

function tacticRefs(index: KnowledgeIndex, technique: Technique): TacticRef[] {
  const tactics: Tactic[] = [];
  for (const shortname of technique.tactics) {
    const t = index.tactics.get(`${technique.domain}:${shortname}`);
    if (t) tactics.push(t);
  }
  return tactics.sort((a, b) => a.order - b.order).map((t) => ({ ...ref(t), shortname: t.shortname }));
}

export function groupCountermeasures(list: readonly Countermeasure[]): CountermeasureGroup[] {
  const groups: CountermeasureGroup[] = [];
  for (const tactic of [...D3FEND_TACTICS, 'Other'] as const) {
    const items = list.filter((c) => (c.tactic ?? 'Other') === tactic);
    if (items.length > 0) groups.push({ tactic, countermeasures: items });
  }
  return groups;
}

function techniqueCard(index: KnowledgeIndex, t: Technique): TechniqueCard {
  const parentObject = t.parentId ? index.objectById.get(t.parentId) : undefined;
  const subtechniques = (index.subtechniques.get(t.id) ?? []).map(ref);
  const mitigations = procedures(related(index, t.stixId, 'in', 'mitigates', ['mitigation']));
  const groups = procedures(related(index, t.stixId, 'in', 'uses', ['group']));
  const software = softwareProcedures(related(index, t.stixId, 'in', 'uses', ['software']));
  const campaigns = procedures(related(index, t.stixId, 'in', 'uses', ['campaign']));
  const detectionStrategies: DetectionStrategyInfo[] = byId(
    related(index, t.stixId, 'in', 'detects', ['detection-strategy']).map(({ object }) => {
      const strategy = object as Extract<AttackObject, { kind: 'detection-strategy' }>;
      const analytics: AnalyticInfo[] = [];
      for (const analyticRef of strategy.analyticRefs) {
        const a = index.byStixId.get(analyticRef);
        if (a?.kind !== 'analytic' || a.revoked || a.deprecated) continue;
        analytics.push({
          ...ref(a),
          platforms: a.platforms,
          description: a.description,
          logSources: a.logSources.map((l) => {
            const component = index.byStixId.get(l.dataComponentRef);
            return { name: l.name, channel: l.channel, dataComponent: component ? ref(component) : null };
          }),
        });
      }
      return { ...ref(strategy), analytics };
    }),
  );
  const countermeasureList = index.countermeasures.get(t.id) ?? [];
  return {
    ...base('technique', t),
    platforms: t.platforms,
    isSubtechnique: t.isSubtechnique,
    tactics: tacticRefs(index, t),
    parent: parentObject ? ref(parentObject) : null,
    subtechniques,
    mitigations,
    detectionStrategies,
    detection: t.detection,
    groups,
    software,
    campaigns,
    countermeasures: groupCountermeasures(countermeasureList),
    d3fendLoaded: index.d3fend !== null,
    counts: {
      subtechniques: subtechniques.length,
      mitigations: mitigations.length,
      detectionStrategies: detectionStrategies.length,
      groups: groups.length,
      software: software.length,
      campaigns: campaigns.length,
      countermeasures: countermeasureList.length,
    },
  };
}

function tacticCard(index: KnowledgeIndex, t: Tactic): TacticCard {
  const techniques = index.attack.techniques.filter(
    (x) =>
      !x.isSubtechnique &&
      !x.revoked &&
      !x.deprecated &&
      x.domain === t.domain &&
      x.tactics.includes(t.shortname),
  );
  return { ...base('tactic', t), shortname: t.shortname, techniques: byId(techniques.map(ref)) };
}

function groupCard(index: KnowledgeIndex, g: Group): GroupCard {
  const techniques = procedures(related(index, g.stixId, 'out', 'uses', ['technique']));
  const software = softwareProcedures(related(index, g.stixId, 'out', 'uses', ['software']));
  const campaigns = byId(
    related(index, g.stixId, 'in', 'attributed-to', ['campaign']).map(({ object }) => ref(object)),
  );
  return {
    ...base('group', g),
    aliases: g.aliases,
    techniques,
    software,
    campaigns,
    counts: { techniques: techniques.length, software: software.length, campaigns: campaigns.length },
  };
}

function softwareCard(index: KnowledgeIndex, s: Software): SoftwareCard {
  const techniques = procedures(related(index, s.stixId, 'out', 'uses', ['technique']));
  const groups = procedures(related(index, s.stixId, 'in', 'uses', ['group']));
  const campaigns = procedures(related(index, s.stixId, 'in', 'uses', ['campaign']));
  return {
    ...base('software', s),
    softwareType: s.softwareType,
    aliases: s.aliases,
    platforms: s.platforms,
    techniques,
    groups,
    campaigns,
    counts: { techniques: techniques.length, groups: groups.length, campaigns: campaigns.length },
  };
}

function campaignCard(index: KnowledgeIndex, c: Campaign): CampaignCard {
  const techniques = procedures(related(index, c.stixId, 'out', 'uses', ['technique']));
  const software = softwareProcedures(related(index, c.stixId, 'out', 'uses', ['software']));
  const groups = byId(
    related(index, c.stixId, 'out', 'attributed-to', ['group']).map(({ object }) => ref(object)),
  );
  return {
    ...base('campaign', c),
    aliases: c.aliases,
    firstSeen: c.firstSeen ?? null,
    lastSeen: c.lastSeen ?? null,
    groups,
    techniques,
    software,
    counts: { techniques: techniques.length, software: software.length },
  };
}

function mitigationCard(index: KnowledgeIndex, m: Mitigation): MitigationCard {
  const techniques = procedures(related(index, m.stixId, 'out', 'mitigates', ['technique']));
  return { ...base('mitigation', m), techniques, counts: { techniques: techniques.length } };
}

/** Inverse of the countermeasure map, for D3FEND cards: D3FEND id -> current ATT&CK techniques with a path. */
export function counteredTechniques(index: KnowledgeIndex): Map<string, (CardRef & { path: string })[]> {
  const out = new Map<string, (CardRef & { path: string })[]>();
  for (const [attackId, list] of index.countermeasures) {
    const technique = index.objectById.get(attackId);
    if (technique?.kind !== 'technique' || technique.revoked || technique.deprecated) continue;
    for (const c of list) {
      const item = { ...ref(technique), path: c.paths[0]?.text ?? '' };
      const existing = out.get(c.id);
      if (existing) existing.push(item);
      else out.set(c.id, [item]);
    }
  }
  for (const list of out.values()) byId(list);
  return out;
}

const d3fendLookupCache = new WeakMap<
  KnowledgeIndex,
  { childrenOf: Map<string, D3fendTechnique[]>; artifactName: Map<string, string> }
>();
function d3fendLookups(index: KnowledgeIndex) {
  let cached = d3fendLookupCache.get(index);
  if (!cached) {
    const childrenOf = new Map<string, D3fendTechnique[]>();
    for (const x of index.d3fend?.techniques ?? []) {
      if (!x.parentId) continue;
      const list = childrenOf.get(x.parentId);
      if (list) list.push(x);
      else childrenOf.set(x.parentId, [x]);
    }
    const artifactName = new Map((index.d3fend?.artifacts ?? []).map((a) => [a.key, a.name]));
    cached = { childrenOf, artifactName };
    d3fendLookupCache.set(index, cached);
  }
  return cached;
}

function d3fendCard(
  index: KnowledgeIndex,
  id: string,
  countered?: Map<string, (CardRef & { path: string })[]>,
): D3fendCard | null {
  const t = index.d3fendById.get(id);
  if (!t || !index.d3fend) return null;
  const parentTechnique = t.parentId ? index.d3fendById.get(t.parentId) : undefined;
  const { childrenOf, artifactName } = d3fendLookups(index);
  const children = (childrenOf.get(t.id) ?? []).map(ref);
  const artifacts: D3fendCard['artifacts'] = [];
  const seen = new Set<string>();
  for (let current: typeof t | undefined = t; current; ) {
    for (const link of current.artifacts) {
      const key = `${link.property} ${link.artifact}`;
      if (seen.has(key) || !artifactName.has(link.artifact)) continue;
      seen.add(key);
      artifacts.push({
        property: index.d3fend.propertyLabels[link.property] ?? link.property,
        artifact: {
          id: link.artifact,
          name: artifactName.get(link.artifact) ?? link.artifact,
          url: d3fendArtifactUrl(link.artifact),
        },
      });
    }
    current = current.parentId ? index.d3fendById.get(current.parentId) : undefined;
  }
  const counters = (countered ?? counteredTechniques(index)).get(t.id) ?? [];
  return {
    kind: 'd3fend',
    id: t.id,
    name: t.name,
    url: t.url,
    status: 'current',
    description: t.definition,
    version: index.d3fend.version ?? '',
    modified: '',
    domains: ['d3fend'],
    tactic: t.tactic,
    article: t.article,
    synonyms: t.synonyms,
    parent: parentTechnique ? ref(parentTechnique) : null,
    children: byId(children),
    artifacts,
    counters,
    counts: { counters: counters.length },
  };
}

/** The card of the object an id names (its own card even when revoked or deprecated). */
function cardOfObject(index: KnowledgeIndex, o: AttackObject): Card | null {
  switch (o.kind) {
    case 'technique':
      return techniqueCard(index, o);
    case 'tactic':
      return tacticCard(index, o);
    case 'group':
      return groupCard(index, o);
    case 'software':
      return softwareCard(index, o);
    case 'campaign':
      return campaignCard(index, o);
    case 'mitigation':
      return mitigationCard(index, o);
    default:
      return null;
  }
}

export interface CardOptions {
  /** Precomputed `counteredTechniques(index)`, when building many D3FEND cards. */
  countered?: Map<string, (CardRef & { path: string })[]>;
}

/**
 * The card for an id as a person would type it (`t1059.001`, `T1059/001`, `D3-PSA`). A revoked id resolves to its
 * replacement's card with `resolvedFrom` saying so; an unknown id gives null.
 */
export function buildCard(index: KnowledgeIndex, rawId: string, options: CardOptions = {}): Card | null {
  const id = normaliseId(rawId);
  const entry = index.entries.get(id);
  if (!entry) return null;
  if (entry.kind === 'd3fend') return d3fendCard(index, id, options.countered);
  const object = index.objectById.get(id);
  if (!object) return null;
  const redirect = redirectOf(index, id);
  if (redirect) {
    const replacement = index.objectById.get(redirect.replacedBy);
    const card = replacement ? cardOfObject(index, replacement) : null;
    if (card) {
      card.resolvedFrom = redirect;
      return card;
    }
  }
  return cardOfObject(index, object);
}

/** For a revoked id with a current replacement: what the card of the replacement says about it. */
export function redirectOf(index: KnowledgeIndex, id: string): ResolvedFrom | null {
  const entry = index.entries.get(id);
  const object = index.objectById.get(id);
  if (!entry || !object || entry.status !== 'revoked' || !entry.replacedBy) return null;
  const replacement = index.objectById.get(entry.replacedBy);
  if (!replacement || !CARD_KINDS.has(replacement.kind)) return null;
  return {
    id,
    name: object.name,
    status: 'revoked',
    replacedBy: replacement.id,
    notice: `${id} (${object.name}) was revoked; it is now ${replacement.id} (${replacement.name}).`,
  };
}

const CARD_KINDS: ReadonlySet<string> = new Set([
  'technique',
  'tactic',
  'group',
  'software',
  'campaign',
  'mitigation',
]);
