/**
 * D3FEND ontology (Turtle) -> defensive techniques, digital artifacts, ATT&CK technique classes, and the inferred
 * ATT&CK -> D3FEND countermeasure mapping. Pure (no DOM, no browser API): parsed with `n3`.
 *
 * The mapping (see DESIGN.md, "Knowledge sources"): D3FEND states, with OWL restrictions on a class
 * (`rdfs:subClassOf [ owl:onProperty :accesses ; owl:someValuesFrom :Process ]`), how an ATT&CK technique class
 * (with `d3f:attack-id`) and a defensive technique (with `d3f:d3fend-id`) relate to digital artifacts. A
 * countermeasure applies to a technique when both point at
 * - the same artifact class ("Process Spawn Analysis analyzes Process, which T1003.001 accesses"), or
 * - artifacts related by `rdfs:subClassOf`: the defensive technique's artifact is an ancestor of the technique's
 *   ("… analyzes Process; T1055 modifies Process Segment, a kind of Process": analysing every Process covers that
 *   one), or a direct subclass of it ("… analyzes Executable File, a kind of File, which T1105 creates": the
 *   technique touches files in general, the countermeasure covers one kind). Deeper descendants are not followed:
 *   they drift into artifacts the technique rarely touches.
 * Restrictions are inherited down the class hierarchy, as OWL means them: T1003.001 inherits what T1003 states,
 * Process Spawn Analysis what Process Analysis states. Only restrictions whose value is a digital artifact count.
 * The defensive tactic (Model, Harden, Detect, Isolate, Deceive, Evict, Restore) comes from `d3f:enables` on the
 * technique or its nearest ancestor.
 */
import { Parser, type Quad, type Term } from 'n3';
import type { Result } from './model.ts';

export const D3FEND_TACTICS = [
  'Model',
  'Harden',
  'Detect',
  'Isolate',
  'Deceive',
  'Evict',
  'Restore',
] as const;
export type D3fendTactic = (typeof D3FEND_TACTICS)[number];

const D3FEND_NAMESPACE = 'http://d3fend.mitre.org/ontologies/d3fend.owl#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const OWL = 'http://www.w3.org/2002/07/owl#';
const SUBCLASS_OF = `${RDFS}subClassOf`;
const LABEL = `${RDFS}label`;
const ON_PROPERTY = `${OWL}onProperty`;
const SOME_VALUES_FROM = `${OWL}someValuesFrom`;
const DEPRECATED = `${OWL}deprecated`;
const VERSION_INFO = `${OWL}versionInfo`;
const VERSION_IRI = `${OWL}versionIRI`;

/** A restriction: the class `property`-relates to some `artifact` (local names, e.g. `accesses` / `Process`). */
export interface ArtifactLink {
  property: string;
  artifact: string;
}

export interface D3fendTechnique {
  /** `D3-PSA` */
  id: string;
  /** Local name in the ontology, e.g. `ProcessSpawnAnalysis`. */
  key: string;
  name: string;
  definition: string;
  /** Markdown "How it works" article (`d3f:kb-article`), '' when absent. */
  article: string;
  tactic: D3fendTactic | null;
  /** Nearest ancestor that is itself a defensive technique with an id (`D3-PA` for `D3-PSA`). */
  parentId?: string;
  synonyms: string[];
  /** Restrictions stated on this class itself (inherited ones are resolved by `inferCountermeasures`). */
  artifacts: ArtifactLink[];
  url: string;
}

export interface D3fendArtifact {
  key: string;
  name: string;
  definition: string;
  /** Named superclasses (local names). */
  parents: string[];
  url: string;
}

/** An ATT&CK technique as D3FEND models it (a class with `d3f:attack-id`). */
export interface D3fendOffensiveTechnique {
  attackId: string;
  key: string;
  name: string;
  deprecated: boolean;
  parents: string[];
  artifacts: ArtifactLink[];
}

export interface D3fendData {
  /** `owl:versionInfo` / `owl:versionIRI` of the ontology when it states one. */
  version: string | null;
  techniques: D3fendTechnique[];
  artifacts: D3fendArtifact[];
  offensive: D3fendOffensiveTechnique[];
  /** Named superclasses of every class that has any (local names), for the subclass reasoning. */
  superclasses: Record<string, string[]>;
  /** Human labels of the object properties used in restrictions (`may-create` -> "may-create"). */
  propertyLabels: Record<string, string>;
}

/** How the two artifacts of a countermeasure path relate. */
export type ArtifactRelation = 'same' | 'defense-broader' | 'defense-narrower';

export interface CountermeasurePath {
  defensiveProperty: string;
  defensiveArtifact: { key: string; name: string };
  offensiveProperty: string;
  offensiveArtifact: { key: string; name: string };
  relation: ArtifactRelation;
  /** ATT&CK id of the class that states the offensive restriction when it is inherited (`T1003` for T1003.001). */
  offensiveVia?: string;
  /** D3FEND id of the class that states the defensive restriction when it is inherited. */
  defensiveVia?: string;
  /** The sentence the side panel shows. */
  text: string;
}

export interface Countermeasure {
  id: string;
  name: string;
  tactic: D3fendTactic | null;
  url: string;
  /**
   * The best path (same artifact, then broader, then narrower; stated before inherited). One, to keep cards small;
   * `pathCount` says how many artifact paths justify the pair.
   */
  paths: CountermeasurePath[];
  pathCount: number;
}

export const D3FEND_TECHNIQUE_ID = /^D3-[A-Z0-9]+$/;
const MAX_PATHS = 1;

function localName(iri: string): string {
  const hash = iri.lastIndexOf('#');
  return hash >= 0 ? iri.slice(hash + 1) : iri;
}

export function d3fendTechniqueUrl(key: string): string {
  return `https://d3fend.mitre.org/technique/d3f:${key}/`;
}

export function d3fendArtifactUrl(key: string): string {
  return `https://d3fend.mitre.org/dao/artifact/d3f:${key}/`;
}

type Predicates = Map<string, Term[]>;

/** Parse the D3FEND ontology in Turtle. Never throws for bad input: returns an error in words. */
export function parseD3fendTurtle(text: string): Result<D3fendData> {
  let quads: Quad[];
  try {
    quads = new Parser().parse(text);
  } catch (error) {
    return { ok: false, error: `the D3FEND ontology is not valid Turtle: ${(error as Error).message}` };
  }
  // Group by subject once; everything below is map lookups.
  const subjects = new Map<string, Predicates>();
  let namespace = D3FEND_NAMESPACE;
  for (const q of quads) {
    const s = q.subject.value;
    let predicates = subjects.get(s);
    if (!predicates) {
      predicates = new Map();
      subjects.set(s, predicates);
    }
    const p = q.predicate.value;
    const list = predicates.get(p);
    if (list) list.push(q.object);
    else predicates.set(p, [q.object]);
    if (p.endsWith('d3fend.owl#d3fend-id')) namespace = p.slice(0, -'d3fend-id'.length);
  }
  const D = (name: string) => `${namespace}${name}`;
  const values = (s: string, p: string): Term[] => subjects.get(s)?.get(p) ?? [];
  const literal = (s: string, p: string): string =>
    values(s, p).find((t) => t.termType === 'Literal')?.value ?? '';
  const literals = (s: string, p: string): string[] =>
    values(s, p)
      .filter((t) => t.termType === 'Literal')
      .map((t) => t.value);
  const isLocal = (iri: string) => iri.startsWith(namespace);

  const superclasses: Record<string, string[]> = {};
  const restrictionsOf = new Map<string, ArtifactLink[]>();
  const enablesOf = new Map<string, string[]>();
  for (const [s, predicates] of subjects) {
    if (!isLocal(s)) continue;
    const key = localName(s);
    const parents: string[] = [];
    const links: ArtifactLink[] = [];
    const enables: string[] = [];
    for (const o of predicates.get(SUBCLASS_OF) ?? []) {
      if (o.termType === 'NamedNode') {
        if (isLocal(o.value)) parents.push(localName(o.value));
      } else if (o.termType === 'BlankNode') {
        const property = values(o.value, ON_PROPERTY)[0];
        const target = values(o.value, SOME_VALUES_FROM)[0];
        if (property?.termType !== 'NamedNode' || target?.termType !== 'NamedNode') continue;
        if (!isLocal(property.value) || !isLocal(target.value)) continue;
        if (property.value === D('enables')) enables.push(localName(target.value));
        else links.push({ property: localName(property.value), artifact: localName(target.value) });
      }
    }
    for (const o of predicates.get(D('enables')) ?? [])
      if (o.termType === 'NamedNode') enables.push(localName(o.value));
    if (parents.length > 0) superclasses[key] = parents;
    if (links.length > 0) restrictionsOf.set(key, links);
    if (enables.length > 0) enablesOf.set(key, enables);
  }

  const ancestors = ancestorIndex(superclasses);
  const isA = (key: string, root: string) => key === root || ancestors(key).has(root);

  const tactics = new Set<string>(D3FEND_TACTICS);
  const tacticOf = (key: string): D3fendTactic | null => {
    for (const c of [key, ...ancestors(key).keys()]) {
      const t = enablesOf.get(c)?.find((e) => tactics.has(e));
      if (t) return t as D3fendTactic;
    }
    return null;
  };

  const label = (key: string) => literal(D(key), LABEL) || key;

  // Defensive techniques: D3- ids under DefensiveTechnique (D3A- ids are analytic methods, not countermeasures).
  const techniques: D3fendTechnique[] = [];
  const techniqueIdByKey = new Map<string, string>();
  for (const [s, predicates] of subjects) {
    if (!isLocal(s)) continue;
    const id = predicates.get(D('d3fend-id'))?.find((t) => t.termType === 'Literal')?.value;
    if (!id || !D3FEND_TECHNIQUE_ID.test(id)) continue;
    const key = localName(s);
    if (!isA(key, 'DefensiveTechnique')) continue;
    techniqueIdByKey.set(key, id);
  }
  for (const [key, id] of techniqueIdByKey) {
    const iri = D(key);
    let parentId: string | undefined;
    let nearest = Number.POSITIVE_INFINITY;
    for (const [ancestor, distance] of ancestors(key)) {
      const ancestorId = techniqueIdByKey.get(ancestor);
      if (ancestorId && distance < nearest) {
        nearest = distance;
        parentId = ancestorId;
      }
    }
    const technique: D3fendTechnique = {
      id,
      key,
      name: label(key),
      definition: literal(iri, D('definition')),
      article: literal(iri, D('kb-article')),
      tactic: tacticOf(key),
      synonyms: literals(iri, D('synonym')),
      artifacts: restrictionsOf.get(key) ?? [],
      url: d3fendTechniqueUrl(key),
    };
    if (parentId) technique.parentId = parentId;
    techniques.push(technique);
  }
  techniques.sort((a, b) => a.id.localeCompare(b.id));

  if (techniques.length === 0) {
    return {
      ok: false,
      error: 'not the D3FEND ontology: no defensive techniques (classes with d3f:d3fend-id "D3-…") found',
    };
  }

  const artifacts: D3fendArtifact[] = [];
  for (const [s] of subjects) {
    if (!isLocal(s)) continue;
    const key = localName(s);
    if (key === 'DigitalArtifact' || !isA(key, 'DigitalArtifact')) continue;
    artifacts.push({
      key,
      name: label(key),
      definition: literal(s, D('definition')),
      parents: superclasses[key] ?? [],
      url: d3fendArtifactUrl(key),
    });
  }
  artifacts.sort((a, b) => a.key.localeCompare(b.key));

  const offensive: D3fendOffensiveTechnique[] = [];
  for (const [s, predicates] of subjects) {
    if (!isLocal(s)) continue;
    const attackId = predicates.get(D('attack-id'))?.find((t) => t.termType === 'Literal')?.value;
    if (!attackId) continue;
    const key = localName(s);
    offensive.push({
      attackId,
      key,
      name: label(key),
      deprecated: values(s, DEPRECATED).some((t) => t.value === 'true'),
      parents: superclasses[key] ?? [],
      artifacts: restrictionsOf.get(key) ?? [],
    });
  }
  offensive.sort((a, b) => a.attackId.localeCompare(b.attackId));

  const propertyLabels: Record<string, string> = {};
  for (const links of restrictionsOf.values()) {
    for (const { property } of links) {
      if (!(property in propertyLabels)) propertyLabels[property] = label(property);
    }
  }

  let version: string | null = null;
  for (const [s, predicates] of subjects) {
    if (!values(s, RDF_TYPE).some((t) => t.value === `${OWL}Ontology`)) continue;
    version =
      predicates.get(VERSION_INFO)?.[0]?.value ?? predicates.get(VERSION_IRI)?.[0]?.value ?? version ?? null;
  }

  return { ok: true, value: { version, techniques, artifacts, offensive, superclasses, propertyLabels } };
}

const RELATION_RANK: Record<ArtifactRelation, number> = {
  same: 0,
  'defense-broader': 1,
  'defense-narrower': 2,
};

/** Every named ancestor of a class with its distance (1 = direct superclass), memoised per class. */
function ancestorIndex(superclasses: Record<string, string[]>): (key: string) => Map<string, number> {
  const cache = new Map<string, Map<string, number>>();
  return (key) => {
    const cached = cache.get(key);
    if (cached) return cached;
    const out = new Map<string, number>();
    cache.set(key, out);
    let frontier = [key];
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const c of frontier) {
        for (const p of superclasses[c] ?? []) {
          if (p !== key && !out.has(p)) {
            out.set(p, depth);
            next.push(p);
          }
        }
      }
      frontier = next;
    }
    return out;
  };
}

/** ATT&CK id -> countermeasures (grouping by tactic is the card's job). Pure; a few hundred ms on the real data. */
export function inferCountermeasures(data: D3fendData): Map<string, Countermeasure[]> {
  const ancestors = ancestorIndex(data.superclasses);
  const artifactNames = new Map(data.artifacts.map((a) => [a.key, a.name]));
  const isArtifact = (key: string) => artifactNames.has(key);
  const artifactName = (key: string) => artifactNames.get(key) ?? key;
  const property = (key: string) => (data.propertyLabels[key] ?? key).replace(/-/g, ' ');

  // Restrictions of every class, own and inherited, keyed by the class that states them.
  interface Link extends ArtifactLink {
    statedBy: string;
  }
  const ownLinks = new Map<string, ArtifactLink[]>();
  for (const t of data.techniques) ownLinks.set(t.key, t.artifacts);
  for (const o of data.offensive) ownLinks.set(o.key, o.artifacts);
  const effective = (key: string): Link[] => {
    const out: Link[] = [];
    for (const c of [key, ...ancestors(key).keys()]) {
      for (const link of ownLinks.get(c) ?? []) {
        if (isArtifact(link.artifact)) out.push({ ...link, statedBy: c });
      }
    }
    return out;
  };

  // Index defensive links by artifact, so each offensive link looks up candidates instead of scanning all.
  const techniqueByKey = new Map(data.techniques.map((t) => [t.key, t]));
  const defensiveByArtifact = new Map<string, { technique: D3fendTechnique; link: Link }[]>();
  for (const technique of data.techniques) {
    for (const link of effective(technique.key)) {
      const list = defensiveByArtifact.get(link.artifact);
      if (list) list.push({ technique, link });
      else defensiveByArtifact.set(link.artifact, [{ technique, link }]);
    }
  }
  const childrenOf = new Map<string, string[]>();
  for (const [child, parents] of Object.entries(data.superclasses)) {
    if (!isArtifact(child)) continue;
    for (const p of parents) {
      const list = childrenOf.get(p);
      if (list) list.push(child);
      else childrenOf.set(p, [child]);
    }
  }
  const attackIdByKey = new Map(data.offensive.map((o) => [o.key, o.attackId]));

  const result = new Map<string, Countermeasure[]>();
  for (const offensive of data.offensive) {
    const found = new Map<
      string,
      { technique: D3fendTechnique; paths: CountermeasurePath[]; rank: number[] }
    >();
    for (const off of effective(offensive.key)) {
      // Candidate defensive artifacts: the same class, every ancestor, every direct child.
      const candidates: [string, ArtifactRelation][] = [[off.artifact, 'same']];
      for (const ancestor of ancestors(off.artifact).keys()) candidates.push([ancestor, 'defense-broader']);
      for (const child of childrenOf.get(off.artifact) ?? []) candidates.push([child, 'defense-narrower']);
      for (const [artifact, relation] of candidates) {
        for (const { technique, link } of defensiveByArtifact.get(artifact) ?? []) {
          const path = describePath(offensive, off, technique, link, relation);
          const rank = [
            RELATION_RANK[relation],
            Number(off.statedBy !== offensive.key) + Number(link.statedBy !== technique.key),
          ];
          let entry = found.get(technique.id);
          if (!entry) {
            entry = { technique, paths: [], rank };
            found.set(technique.id, entry);
          }
          if (!entry.paths.some((p) => p.text === path.text)) entry.paths.push(path);
          if (compareRank(rank, entry.rank) < 0) entry.rank = rank;
        }
      }
    }
    if (found.size === 0) continue;
    const ranked = [...found.values()].map(({ technique, paths, rank }) => {
      paths.sort((a, b) => pathRank(a) - pathRank(b) || a.text.localeCompare(b.text));
      const countermeasure: Countermeasure = {
        id: technique.id,
        name: technique.name,
        tactic: technique.tactic,
        url: technique.url,
        paths: paths.slice(0, MAX_PATHS),
        pathCount: paths.length,
      };
      return { countermeasure, rank };
    });
    ranked.sort(
      (a, b) => compareRank(a.rank, b.rank) || a.countermeasure.name.localeCompare(b.countermeasure.name),
    );
    const list = ranked.map((r) => r.countermeasure);
    const existing = result.get(offensive.attackId);
    result.set(offensive.attackId, existing ? mergeCountermeasures(existing, list) : list);
  }
  return result;

  function describePath(
    offensive: D3fendOffensiveTechnique,
    off: Link,
    technique: D3fendTechnique,
    def: Link,
    relation: ArtifactRelation,
  ): CountermeasurePath {
    const offArtifact = artifactName(off.artifact);
    const defArtifact = artifactName(def.artifact);
    const offVia = off.statedBy !== offensive.key ? attackIdByKey.get(off.statedBy) : undefined;
    const defVia = def.statedBy !== technique.key ? techniqueByKey.get(def.statedBy)?.id : undefined;
    const actor = offVia ? `${offensive.attackId} (like ${offVia})` : offensive.attackId;
    const defender = technique.name;
    let text: string;
    if (relation === 'same') {
      text = `${defender} ${property(def.property)} ${defArtifact}, which ${actor} ${property(off.property)}`;
    } else if (relation === 'defense-broader') {
      text = `${defender} ${property(def.property)} ${defArtifact}; ${actor} ${property(off.property)} ${offArtifact}, a kind of ${defArtifact}`;
    } else {
      text = `${defender} ${property(def.property)} ${defArtifact}, a kind of ${offArtifact}, which ${actor} ${property(off.property)}`;
    }
    const path: CountermeasurePath = {
      defensiveProperty: def.property,
      defensiveArtifact: { key: def.artifact, name: defArtifact },
      offensiveProperty: off.property,
      offensiveArtifact: { key: off.artifact, name: offArtifact },
      relation,
      text,
    };
    if (offVia) path.offensiveVia = offVia;
    if (defVia) path.defensiveVia = defVia;
    return path;
  }
}

function pathRank(p: CountermeasurePath): number {
  return (
    RELATION_RANK[p.relation] * 4 +
    Number(p.offensiveVia !== undefined) +
    Number(p.defensiveVia !== undefined)
  );
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function mergeCountermeasures(a: Countermeasure[], b: Countermeasure[]): Countermeasure[] {
  const seen = new Set(a.map((c) => c.id));
  return [...a, ...b.filter((c) => !seen.has(c.id))];
}
