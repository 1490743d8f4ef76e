/**
 * STIX bundle -> AttackData. Pure (no DOM, no browser API): runs in Node for the CLIs, in the extension for imports.
 *
 * Accepts both distributions of ATT&CK:
 * - STIX 2.0 (mitre/cti): `{ type: "bundle", spec_version: "2.0", objects }`;
 * - STIX 2.1 (mitre-attack/attack-stix-data): no bundle-level `spec_version`, `spec_version: "2.1"` on every object
 *   and an `x-mitre-collection` object that names the release (`x_mitre_version: "18.1"`).
 *
 * The zod schemas are strict about the fields Riposte reads (a technique whose `name` is not a string rejects the
 * bundle, with the object's id in the message) and pass every other field through. Object types Riposte does not
 * use (identity, marking-definition, x-mitre-asset, …) are ignored; so are objects of a known type that carry no
 * ATT&CK id (they could never be looked up), and they are counted in `source.skippedObjects`.
 */
import { z } from 'zod';
import {
  type Analytic,
  ATTACK_DOMAINS,
  type AttackData,
  type AttackDomain,
  type AttackObjectBase,
  type Campaign,
  type DataComponent,
  type DataSource,
  type DetectionStrategy,
  type Group,
  type Mitigation,
  RELATIONSHIP_TYPES,
  type Relationship,
  type RelationshipType,
  type Result,
  type Software,
  type SourceReference,
  type Tactic,
  type Technique,
} from './model.ts';

const str = z.string();
const strList = z.array(z.string());

const externalReference = z.looseObject({
  source_name: z.string(),
  external_id: z.string().optional(),
  url: z.string().optional(),
});

const stixCommon = {
  type: z.string(),
  id: z.string().regex(/^[a-z0-9-]+--[\w-]+$/, 'expected a STIX id like "attack-pattern--<uuid>"'),
  spec_version: z.string().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
};

const attackCommon = {
  ...stixCommon,
  name: str,
  description: z.string().optional(),
  external_references: z.array(externalReference).optional(),
  x_mitre_version: z.string().optional(),
  x_mitre_domains: strList.optional(),
};

const killChainPhase = z.looseObject({ kill_chain_name: str, phase_name: str });
const logSource = z.looseObject({ name: str, channel: str });

const schemas = {
  'attack-pattern': z.looseObject({
    ...attackCommon,
    kill_chain_phases: z.array(killChainPhase).optional(),
    x_mitre_platforms: strList.optional(),
    x_mitre_detection: z.string().optional(),
    x_mitre_is_subtechnique: z.boolean().optional(),
  }),
  'x-mitre-tactic': z.looseObject({ ...attackCommon, x_mitre_shortname: str }),
  'intrusion-set': z.looseObject({ ...attackCommon, aliases: strList.optional() }),
  malware: z.looseObject({
    ...attackCommon,
    x_mitre_aliases: strList.optional(),
    x_mitre_platforms: strList.optional(),
  }),
  tool: z.looseObject({
    ...attackCommon,
    x_mitre_aliases: strList.optional(),
    x_mitre_platforms: strList.optional(),
  }),
  campaign: z.looseObject({
    ...attackCommon,
    aliases: strList.optional(),
    first_seen: z.string().optional(),
    last_seen: z.string().optional(),
  }),
  'course-of-action': z.looseObject({ ...attackCommon }),
  'x-mitre-data-source': z.looseObject({
    ...attackCommon,
    x_mitre_platforms: strList.optional(),
    x_mitre_collection_layers: strList.optional(),
  }),
  'x-mitre-data-component': z.looseObject({
    ...attackCommon,
    x_mitre_data_source_ref: z.string().optional(),
    x_mitre_log_sources: z.array(logSource).optional(),
  }),
  'x-mitre-detection-strategy': z.looseObject({ ...attackCommon, x_mitre_analytic_refs: strList.optional() }),
  'x-mitre-analytic': z.looseObject({
    ...attackCommon,
    x_mitre_platforms: strList.optional(),
    x_mitre_log_source_references: z
      .array(z.looseObject({ x_mitre_data_component_ref: str, name: str, channel: str }))
      .optional(),
    x_mitre_mutable_elements: z.array(z.looseObject({ field: str, description: str })).optional(),
  }),
  'x-mitre-matrix': z.looseObject({ ...attackCommon, tactic_refs: strList.optional() }),
  'x-mitre-collection': z.looseObject({ ...stixCommon, name: str, x_mitre_version: z.string().optional() }),
  relationship: z.looseObject({
    ...stixCommon,
    relationship_type: str,
    source_ref: str,
    target_ref: str,
    description: z.string().optional(),
  }),
} as const;

type SchemaMap = typeof schemas;
type Parsed<K extends keyof SchemaMap> = z.infer<SchemaMap[K]>;

const RELATIONSHIP_SET: ReadonlySet<string> = new Set(RELATIONSHIP_TYPES);
const DOMAIN_SET: ReadonlySet<string> = new Set(ATTACK_DOMAINS);
const ATTACK_SOURCE_NAME = /^mitre(-[a-z]+)?-attack$/;
const MAX_REPORTED_ERRORS = 5;

/** `mitre-attack` -> enterprise, `mitre-mobile-attack` -> mobile, `mitre-ics-attack` -> ics. */
export function domainOfKillChain(killChainName: string): AttackDomain | null {
  if (killChainName === 'mitre-attack') return 'enterprise-attack';
  if (killChainName === 'mitre-mobile-attack') return 'mobile-attack';
  if (killChainName === 'mitre-ics-attack') return 'ics-attack';
  return null;
}

function attackReference(
  refs: z.infer<typeof externalReference>[] | undefined,
): { id: string; url: string } | null {
  for (const ref of refs ?? []) {
    if (ATTACK_SOURCE_NAME.test(ref.source_name) && ref.external_id) {
      return { id: ref.external_id, url: ref.url ?? '' };
    }
  }
  return null;
}

/** The citations among a STIX object's external references (identifiers such as its ATT&CK id carry an external id). */
function citedSources(refs: z.infer<typeof externalReference>[] | undefined): SourceReference[] {
  const out: SourceReference[] = [];
  for (const ref of refs ?? []) {
    if (ref.external_id) continue;
    const description = typeof ref.description === 'string' ? ref.description : undefined;
    if (!ref.url && !description) continue;
    out.push({
      name: ref.source_name,
      ...(ref.url ? { url: ref.url } : {}),
      ...(description ? { description } : {}),
    });
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(object)';
  return `'${where}' ${issue.message.replace(/^Invalid input: /, '')}`;
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Parse a STIX bundle (already JSON-parsed) into AttackData. Never throws for bad input: returns an error in words.
 */
export function parseStixBundle(json: unknown): Result<AttackData> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, error: `not a STIX bundle: expected a JSON object, got ${typeOfValue(json)}` };
  }
  const bundle = json as Record<string, unknown>;
  if (!Array.isArray(bundle.objects)) {
    return { ok: false, error: "not a STIX bundle: no 'objects' array" };
  }
  if (bundle.type !== undefined && bundle.type !== 'bundle') {
    return {
      ok: false,
      error: `not a STIX bundle: 'type' is ${JSON.stringify(bundle.type)}, expected "bundle"`,
    };
  }
  const objects = bundle.objects as unknown[];

  const errors: string[] = [];
  let errorCount = 0;
  const parsed: { [K in keyof SchemaMap]: Parsed<K>[] } = {
    'attack-pattern': [],
    'x-mitre-tactic': [],
    'intrusion-set': [],
    malware: [],
    tool: [],
    campaign: [],
    'course-of-action': [],
    'x-mitre-data-source': [],
    'x-mitre-data-component': [],
    'x-mitre-detection-strategy': [],
    'x-mitre-analytic': [],
    'x-mitre-matrix': [],
    'x-mitre-collection': [],
    relationship: [],
  };
  let specVersion21 = 0;
  let specVersion20 = 0;

  for (let index = 0; index < objects.length; index++) {
    const raw = objects[index];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      errorCount++;
      if (errors.length < MAX_REPORTED_ERRORS)
        errors.push(`object #${index} is ${typeOfValue(raw)}, not a STIX object`);
      continue;
    }
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== 'string') {
      errorCount++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(`object #${index} has no 'type'`);
      continue;
    }
    const spec = (raw as { spec_version?: unknown }).spec_version;
    if (spec === '2.1') specVersion21++;
    else if (spec === '2.0') specVersion20++;
    if (!Object.hasOwn(schemas, type)) continue;
    const key = type as keyof SchemaMap;
    const result = schemas[key].safeParse(raw);
    if (!result.success) {
      errorCount++;
      if (errors.length < MAX_REPORTED_ERRORS) {
        const id = typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : type;
        const first = result.error.issues[0];
        errors.push(`object #${index} (${id}): ${first ? describeIssue(first) : 'invalid'}`);
      }
      continue;
    }
    (parsed[key] as unknown[]).push(result.data);
  }

  if (errorCount > 0) {
    const more = errorCount > errors.length ? ` (and ${errorCount - errors.length} more)` : '';
    return { ok: false, error: `invalid ATT&CK bundle: ${errors.join('; ')}${more}` };
  }

  const bundleSpec = bundle.spec_version;
  const specVersion: '2.0' | '2.1' =
    bundleSpec === '2.0' ? '2.0' : specVersion21 > specVersion20 || bundleSpec === '2.1' ? '2.1' : '2.0';
  return build(parsed, specVersion);
}

function build(
  parsed: { [K in keyof SchemaMap]: Parsed<K>[] },
  specVersion: '2.0' | '2.1',
): Result<AttackData> {
  let skippedObjects = 0;
  let lastModified = '';

  // The bundle's own domain: from its matrices (external id "enterprise-attack"), else the most common one.
  const matrixDomains: AttackDomain[] = [];
  for (const matrix of parsed['x-mitre-matrix']) {
    const ref = attackReference(matrix.external_references);
    if (ref && DOMAIN_SET.has(ref.id) && !matrixDomains.includes(ref.id as AttackDomain)) {
      matrixDomains.push(ref.id as AttackDomain);
    }
  }
  const domainCounts = new Map<AttackDomain, number>();
  for (const technique of parsed['attack-pattern']) {
    for (const d of technique.x_mitre_domains ?? []) {
      if (DOMAIN_SET.has(d))
        domainCounts.set(d as AttackDomain, (domainCounts.get(d as AttackDomain) ?? 0) + 1);
    }
  }
  const byCount = [...domainCounts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
  const primaryDomain: AttackDomain = matrixDomains[0] ?? byCount[0] ?? 'enterprise-attack';

  function base<K extends AttackObjectBase['kind']>(
    kind: K,
    object: Parsed<'attack-pattern'> | Parsed<'course-of-action'>,
  ): (AttackObjectBase & { kind: K }) | null {
    const ref = attackReference(object.external_references);
    if (!ref) {
      skippedObjects++;
      return null;
    }
    const modified = object.modified ?? '';
    if (modified > lastModified) lastModified = modified;
    const domains = object.x_mitre_domains ?? [];
    const domain: AttackDomain = domains.includes(primaryDomain)
      ? primaryDomain
      : ((domains.find((d) => DOMAIN_SET.has(d)) as AttackDomain | undefined) ?? primaryDomain);
    return {
      kind,
      stixId: object.id,
      id: ref.id,
      name: object.name,
      description: object.description ?? '',
      url: ref.url,
      version: object.x_mitre_version ?? '',
      created: object.created ?? '',
      modified,
      revoked: object.revoked === true,
      deprecated: object.x_mitre_deprecated === true,
      domain,
      domains,
      references: citedSources(object.external_references),
    };
  }

  // Relationships first: sub-technique parents come from `subtechnique-of`.
  const relationships: Relationship[] = [];
  for (const r of parsed.relationship) {
    if (!RELATIONSHIP_SET.has(r.relationship_type)) continue;
    relationships.push({
      stixId: r.id,
      type: r.relationship_type as RelationshipType,
      sourceRef: r.source_ref,
      targetRef: r.target_ref,
      description: r.description ?? '',
      revoked: r.revoked === true,
      deprecated: r.x_mitre_deprecated === true,
    });
  }

  const techniques: Technique[] = [];
  for (const object of parsed['attack-pattern']) {
    const b = base('technique', object);
    if (!b) continue;
    const phases = object.kill_chain_phases ?? [];
    const killChainDomain = phases.map((p) => domainOfKillChain(p.kill_chain_name)).find((d) => d !== null);
    const domain = killChainDomain ?? b.domain;
    const tactics: string[] = [];
    for (const phase of phases) {
      const d = domainOfKillChain(phase.kill_chain_name);
      if ((d === null || d === domain) && !tactics.includes(phase.phase_name)) tactics.push(phase.phase_name);
    }
    const isSubtechnique = object.x_mitre_is_subtechnique === true || /^T\d+\.\d+$/.test(b.id);
    techniques.push({
      ...b,
      domain,
      tactics,
      platforms: object.x_mitre_platforms ?? [],
      detection: object.x_mitre_detection ?? '',
      isSubtechnique,
    });
  }
  const techniqueByStix = new Map(techniques.map((t) => [t.stixId, t]));
  for (const r of relationships) {
    if (r.type !== 'subtechnique-of' || r.revoked || r.deprecated) continue;
    const child = techniqueByStix.get(r.sourceRef);
    const parent = techniqueByStix.get(r.targetRef);
    if (child && parent) child.parentId = parent.id;
  }
  for (const t of techniques) {
    if (t.isSubtechnique && !t.parentId) t.parentId = t.id.split('.')[0];
  }

  // Tactics in matrix order: current matrices first, then deprecated ones, each in `tactic_refs` order.
  const tacticOrder = new Map<string, number>();
  const matrices = [...parsed['x-mitre-matrix']].sort(
    (a, b) => Number(a.x_mitre_deprecated === true) - Number(b.x_mitre_deprecated === true),
  );
  for (const matrix of matrices) {
    for (const ref of matrix.tactic_refs ?? []) {
      if (!tacticOrder.has(ref)) tacticOrder.set(ref, tacticOrder.size);
    }
  }
  const tactics: Tactic[] = [];
  for (const object of parsed['x-mitre-tactic']) {
    const b = base('tactic', object);
    if (!b) continue;
    tactics.push({ ...b, shortname: object.x_mitre_shortname, order: tacticOrder.get(object.id) ?? 1000 });
  }
  tactics.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  let unordered = tacticOrder.size;
  for (const t of tactics) if (t.order === 1000) t.order = unordered++;

  const groups: Group[] = [];
  for (const object of parsed['intrusion-set']) {
    const b = base('group', object);
    if (b) groups.push({ ...b, aliases: object.aliases ?? [] });
  }

  const software: Software[] = [];
  for (const softwareType of ['malware', 'tool'] as const) {
    for (const object of parsed[softwareType]) {
      const b = base('software', object);
      if (b) {
        software.push({
          ...b,
          softwareType,
          aliases: object.x_mitre_aliases ?? [],
          platforms: object.x_mitre_platforms ?? [],
        });
      }
    }
  }

  const campaigns: Campaign[] = [];
  for (const object of parsed.campaign) {
    const b = base('campaign', object);
    if (!b) continue;
    const campaign: Campaign = { ...b, aliases: object.aliases ?? [] };
    if (object.first_seen) campaign.firstSeen = object.first_seen;
    if (object.last_seen) campaign.lastSeen = object.last_seen;
    campaigns.push(campaign);
  }

  const mitigations: Mitigation[] = [];
  for (const object of parsed['course-of-action']) {
    const b = base('mitigation', object);
    if (b) mitigations.push(b);
  }

  const dataSources: DataSource[] = [];
  for (const object of parsed['x-mitre-data-source']) {
    const b = base('data-source', object);
    if (b) {
      dataSources.push({
        ...b,
        platforms: object.x_mitre_platforms ?? [],
        collectionLayers: object.x_mitre_collection_layers ?? [],
      });
    }
  }

  const dataComponents: DataComponent[] = [];
  for (const object of parsed['x-mitre-data-component']) {
    const b = base('data-component', object);
    if (!b) continue;
    const component: DataComponent = {
      ...b,
      logSources: (object.x_mitre_log_sources ?? []).map((l) => ({ name: l.name, channel: l.channel })),
    };
    if (object.x_mitre_data_source_ref) component.dataSourceRef = object.x_mitre_data_source_ref;
    dataComponents.push(component);
  }

  const detectionStrategies: DetectionStrategy[] = [];
  for (const object of parsed['x-mitre-detection-strategy']) {
    const b = base('detection-strategy', object);
    if (b) detectionStrategies.push({ ...b, analyticRefs: object.x_mitre_analytic_refs ?? [] });
  }

  const analytics: Analytic[] = [];
  for (const object of parsed['x-mitre-analytic']) {
    const b = base('analytic', object);
    if (!b) continue;
    analytics.push({
      ...b,
      platforms: object.x_mitre_platforms ?? [],
      logSources: (object.x_mitre_log_source_references ?? []).map((l) => ({
        dataComponentRef: l.x_mitre_data_component_ref,
        name: l.name,
        channel: l.channel,
      })),
      mutableElements: (object.x_mitre_mutable_elements ?? []).map((m) => ({
        field: m.field,
        description: m.description,
      })),
    });
  }

  if (techniques.length === 0) {
    return {
      ok: false,
      error:
        'not an ATT&CK bundle: it holds no techniques (attack-pattern objects with a mitre-attack external id)',
    };
  }

  const collection = parsed['x-mitre-collection'][0];
  const matrixName = parsed['x-mitre-matrix'].find((m) => m.x_mitre_deprecated !== true)?.name;
  const domains: AttackDomain[] =
    matrixDomains.length > 0 ? matrixDomains : byCount.length > 0 ? byCount : [primaryDomain];
  return {
    ok: true,
    value: {
      source: {
        specVersion,
        domains,
        attackVersion: collection?.x_mitre_version ?? null,
        name: collection?.name ?? matrixName ?? primaryDomain,
        lastModified,
        skippedObjects,
      },
      techniques,
      tactics,
      groups,
      software,
      campaigns,
      mitigations,
      dataSources,
      dataComponents,
      detectionStrategies,
      analytics,
      relationships,
    },
  };
}
