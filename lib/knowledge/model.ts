/**
 * The normalised ATT&CK knowledge that every other part of Riposte reads (cards, search, hints model, CLIs).
 * Pure types: no DOM, no browser API, no Dexie. Produced by `parseStixBundle` (stix.ts) from a STIX 2.0 or 2.1
 * bundle.
 *
 * Conventions:
 * - `stixId` is the STIX identifier (`attack-pattern--…`), unique inside one bundle; relationships use it.
 * - `id` is the ATT&CK identifier as published (`T1003.001`, `TA0006`, `G0016`, `S0002`, `M1036`, `C0024`,
 *   `DS0009`, `DC0001`, `DET0103`, `AN0110`). It is NOT unique on its own: a deprecated pre-2019 mitigation can
 *   carry a technique's id (`T1003` is also a deprecated course-of-action). Card lookups prefer the current
 *   object of the expected kind.
 * - `domain` is the ATT&CK domain (`enterprise-attack`, `mobile-attack`, `ics-attack`). Tactic shortnames are only
 *   unique inside a domain (`initial-access` exists in every domain), so a technique's tactics resolve against the
 *   tactics of its own domain.
 * - Revoked and deprecated objects are kept (a revoked id must still resolve to its replacement) and flagged.
 */

/** Errors at the edges are values: a message a person can act on. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ATTACK_DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'] as const;
export type AttackDomain = (typeof ATTACK_DOMAINS)[number];

export type AttackKind =
  | 'technique'
  | 'tactic'
  | 'group'
  | 'software'
  | 'campaign'
  | 'mitigation'
  | 'data-source'
  | 'data-component'
  | 'detection-strategy'
  | 'analytic';

/** What every ATT&CK object carries once normalised. */
export interface AttackObjectBase {
  kind: AttackKind;
  stixId: string;
  /** ATT&CK id as published, e.g. `T1003.001`. */
  id: string;
  name: string;
  /** ATT&CK markdown (links, `(Citation: …)` markers); render it safely, never as HTML. */
  description: string;
  /** attack.mitre.org page of the object ('' when the bundle gives none). */
  url: string;
  /** `x_mitre_version`, e.g. "1.2" ('' when absent). */
  version: string;
  created: string;
  modified: string;
  revoked: boolean;
  deprecated: boolean;
  domain: AttackDomain;
  /** `x_mitre_domains` as published (a group can belong to several). */
  domains: string[];
  /** The sources its `(Citation: name)` markers refer to (STIX `external_references` without an external id). */
  references?: SourceReference[];
}

/** One cited source: `name` is what `(Citation: name)` says. */
export interface SourceReference {
  name: string;
  url?: string;
  description?: string;
}

export interface Technique extends AttackObjectBase {
  kind: 'technique';
  /** Tactic shortnames (`credential-access`), resolved against the tactics of `domain`. */
  tactics: string[];
  platforms: string[];
  /** Legacy free-text detection advice (`x_mitre_detection`), '' when absent (ATT&CK v18 moved it to strategies). */
  detection: string;
  isSubtechnique: boolean;
  /** ATT&CK id of the parent technique for a sub-technique (`T1003` for `T1003.001`). */
  parentId?: string;
}

export interface Tactic extends AttackObjectBase {
  kind: 'tactic';
  /** `x_mitre_shortname`, the key techniques use in `kill_chain_phases`. */
  shortname: string;
  /** Position in the domain's matrix (kill-chain order), 0-based; tactics in no matrix come last. */
  order: number;
}

export interface Group extends AttackObjectBase {
  kind: 'group';
  aliases: string[];
}

export interface Software extends AttackObjectBase {
  kind: 'software';
  softwareType: 'malware' | 'tool';
  aliases: string[];
  platforms: string[];
}

export interface Campaign extends AttackObjectBase {
  kind: 'campaign';
  aliases: string[];
  firstSeen?: string;
  lastSeen?: string;
}

export interface Mitigation extends AttackObjectBase {
  kind: 'mitigation';
}

export interface DataSource extends AttackObjectBase {
  kind: 'data-source';
  platforms: string[];
  collectionLayers: string[];
}

export interface LogSource {
  name: string;
  channel: string;
}

export interface DataComponent extends AttackObjectBase {
  kind: 'data-component';
  /** STIX id of the data source ('' or absent in v18, where components stand alone). */
  dataSourceRef?: string;
  logSources: LogSource[];
}

/** ATT&CK v18 `x-mitre-detection-strategy`: detects techniques through `detects` relationships. */
export interface DetectionStrategy extends AttackObjectBase {
  kind: 'detection-strategy';
  /** STIX ids of its analytics, in the published order. */
  analyticRefs: string[];
}

export interface AnalyticLogSource extends LogSource {
  /** STIX id of the data component the log source belongs to. */
  dataComponentRef: string;
}

export interface MutableElement {
  field: string;
  description: string;
}

/** ATT&CK v18 `x-mitre-analytic`: one platform-specific way to implement a detection strategy. */
export interface Analytic extends AttackObjectBase {
  kind: 'analytic';
  platforms: string[];
  logSources: AnalyticLogSource[];
  mutableElements: MutableElement[];
}

export const RELATIONSHIP_TYPES = [
  'uses',
  'mitigates',
  'detects',
  'subtechnique-of',
  'attributed-to',
  'revoked-by',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

export interface Relationship {
  stixId: string;
  type: RelationshipType;
  /** STIX ids. */
  sourceRef: string;
  targetRef: string;
  /** Markdown explaining the relationship ("[APT29] has used …"); may be ''. */
  description: string;
  revoked: boolean;
  deprecated: boolean;
}

export interface AttackSource {
  /** STIX version of the bundle: "2.0" (mitre/cti) or "2.1" (attack-stix-data). */
  specVersion: '2.0' | '2.1';
  /** Domains present (from the matrices / objects). */
  domains: AttackDomain[];
  /** ATT&CK release, e.g. "18.1": from `x-mitre-collection` in 2.1 bundles; null when the bundle does not say. */
  attackVersion: string | null;
  /** `x-mitre-collection` name, or the matrix name. */
  name: string;
  /** Latest `modified` timestamp among the objects: a version stamp when the bundle has no collection. */
  lastModified: string;
  /** Objects of a known type that carried no ATT&CK id and were left out. */
  skippedObjects: number;
}

export interface AttackData {
  source: AttackSource;
  techniques: Technique[];
  tactics: Tactic[];
  groups: Group[];
  software: Software[];
  campaigns: Campaign[];
  mitigations: Mitigation[];
  dataSources: DataSource[];
  dataComponents: DataComponent[];
  detectionStrategies: DetectionStrategy[];
  analytics: Analytic[];
  relationships: Relationship[];
}

export type AttackObject =
  | Technique
  | Tactic
  | Group
  | Software
  | Campaign
  | Mitigation
  | DataSource
  | DataComponent
  | DetectionStrategy
  | Analytic;

/** Every object of the data, in a stable order (techniques first). */
export function allAttackObjects(data: AttackData): AttackObject[] {
  return [
    ...data.techniques,
    ...data.tactics,
    ...data.groups,
    ...data.software,
    ...data.campaigns,
    ...data.mitigations,
    ...data.dataSources,
    ...data.dataComponents,
    ...data.detectionStrategies,
    ...data.analytics,
  ];
}

/** Current = neither revoked nor deprecated: what is shown as ATT&CK today. */
export function isCurrent(object: { revoked: boolean; deprecated: boolean }): boolean {
  return !object.revoked && !object.deprecated;
}
