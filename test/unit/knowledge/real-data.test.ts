/**
 * The knowledge base on the real ATT&CK v18.1 enterprise bundle and D3FEND ontology (../shared/data). Expected
 * values are computed here from the raw JSON / Turtle text with plain code, not with the parsers under test.
 * Parsing the 33 MB bundle takes seconds, so it happens once, in beforeAll.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCard, type GroupCard, type TechniqueCard } from '../../../lib/knowledge/card.ts';
import { type D3fendData, parseD3fendTurtle } from '../../../lib/knowledge/d3fend.ts';
import { buildKnowledgeIndex, type KnowledgeIndex } from '../../../lib/knowledge/knowledge-index.ts';
import { type AttackData, isCurrent } from '../../../lib/knowledge/model.ts';
import { createSearch, searchDocumentsOf } from '../../../lib/knowledge/search.ts';
import { buildSnapshot } from '../../../lib/knowledge/snapshot.ts';
import { parseStixBundle } from '../../../lib/knowledge/stix.ts';

const dataDir = path.resolve(import.meta.dirname, '../../../../shared/data');
const attackFile = path.join(dataDir, 'attack/enterprise-attack-18.1.json.gz');
const d3fendFile = path.join(dataDir, 'd3fend/d3fend-protege.ttl.gz');
const present = existsSync(attackFile) && existsSync(d3fendFile);
if (!present) console.warn(`[knowledge] skipping real-data tests: ${dataDir} is absent`);

interface RawObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_is_subtechnique?: boolean;
  external_references?: { source_name: string; external_id?: string }[];
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  tactic_refs?: string[];
  x_mitre_shortname?: string;
  x_mitre_analytic_refs?: string[];
}

let raw: { objects: RawObject[] };
let ttl: string;
let attack: AttackData;
let d3fend: D3fendData;
let index: KnowledgeIndex;
let snapshot: ReturnType<typeof buildSnapshot> | undefined;
const snapshotOnce = () => {
  snapshot ??= buildSnapshot(index);
  return snapshot;
};

const attackId = (o: RawObject) =>
  o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
const live = (o: RawObject) => o.revoked !== true && o.x_mitre_deprecated !== true;

describe.runIf(present)('knowledge on ATT&CK v18.1 + D3FEND', () => {
  beforeAll(() => {
    raw = JSON.parse(gunzipSync(readFileSync(attackFile)).toString('utf8'));
    ttl = gunzipSync(readFileSync(d3fendFile)).toString('utf8');
    const parsed = parseStixBundle(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    attack = parsed.value;
    const ontology = parseD3fendTurtle(ttl);
    if (!ontology.ok) throw new Error(ontology.error);
    d3fend = ontology.value;
    index = buildKnowledgeIndex(attack, d3fend);
  });

  const byId = () => new Map(raw.objects.map((o) => [o.id, o]));
  const stixIdOf = (id: string, type = 'attack-pattern') =>
    raw.objects.find((o) => o.type === type && attackId(o) === id)?.id as string;
  const liveRelations = (type: string) => {
    const objects = byId();
    return raw.objects.filter((o) => {
      if (o.type !== 'relationship' || o.relationship_type !== type || !live(o)) return false;
      const source = objects.get(o.source_ref as string);
      const target = objects.get(o.target_ref as string);
      return source !== undefined && target !== undefined && live(source) && live(target);
    });
  };

  it('parses every object kind, with counts matching the raw bundle', () => {
    const count = (types: string[], keep: (o: RawObject) => boolean = () => true) =>
      raw.objects.filter((o) => types.includes(o.type) && attackId(o) !== undefined && keep(o)).length;
    expect(attack.techniques.length).toBe(count(['attack-pattern']));
    expect(attack.techniques.filter(isCurrent).length).toBe(count(['attack-pattern'], live));
    expect(attack.techniques.filter((t) => isCurrent(t) && t.isSubtechnique).length).toBe(
      count(['attack-pattern'], (o) => live(o) && o.x_mitre_is_subtechnique === true),
    );
    expect(attack.groups.length).toBe(count(['intrusion-set']));
    expect(attack.software.length).toBe(count(['malware', 'tool']));
    expect(attack.campaigns.length).toBe(count(['campaign']));
    expect(attack.mitigations.filter(isCurrent).length).toBe(count(['course-of-action'], live));
    expect(attack.detectionStrategies.length).toBe(count(['x-mitre-detection-strategy']));
    expect(attack.analytics.length).toBe(count(['x-mitre-analytic']));
    expect(attack.dataComponents.length).toBe(count(['x-mitre-data-component']));
    const relationshipTypes = [
      'uses',
      'mitigates',
      'detects',
      'subtechnique-of',
      'attributed-to',
      'revoked-by',
    ];
    expect(attack.relationships.length).toBe(
      raw.objects.filter(
        (o) => o.type === 'relationship' && relationshipTypes.includes(o.relationship_type ?? ''),
      ).length,
    );
    // The README's published figures for this release.
    expect(attack.techniques.length).toBe(835);
    expect(attack.groups.length).toBe(187);
    expect(attack.software.length).toBe(787);
    expect(attack.detectionStrategies.length).toBe(691);
    expect(attack.analytics.length).toBe(1739);
  });

  it('orders tactics as the matrix does', () => {
    const objects = byId();
    const matrix = raw.objects.find((o) => o.type === 'x-mitre-matrix') as RawObject;
    const expected = (matrix.tactic_refs ?? []).map((ref) => objects.get(ref)?.x_mitre_shortname);
    expect(attack.tactics.map((t) => t.shortname)).toEqual(expected);
    expect(expected[0]).toBe('reconnaissance');
  });

  it("builds T1003.001's card: tactics, parent, mitigations, groups, detection strategies, countermeasures", () => {
    const card = buildCard(index, 'T1003.001') as TechniqueCard;
    const sid = stixIdOf('T1003.001');
    const objects = byId();
    const sources = (type: string, sourceType: string[]) =>
      liveRelations(type)
        .filter(
          (r) => r.target_ref === sid && sourceType.includes(objects.get(r.source_ref as string)?.type ?? ''),
        )
        .map((r) => attackId(objects.get(r.source_ref as string) as RawObject))
        .sort();

    expect(card.name).toBe('LSASS Memory');
    expect(card.tactics.map((t) => t.id)).toEqual(['TA0006']);
    expect(card.parent?.id).toBe('T1003');
    expect(card.mitigations.map((m) => m.id).sort()).toEqual(sources('mitigates', ['course-of-action']));
    expect(card.groups.map((g) => g.id).sort()).toEqual(sources('uses', ['intrusion-set']));
    expect(card.software.map((s) => s.id).sort()).toEqual(sources('uses', ['malware', 'tool']));
    expect(card.campaigns.map((c) => c.id).sort()).toEqual(sources('uses', ['campaign']));
    const strategies = liveRelations('detects').filter((r) => r.target_ref === sid);
    expect(card.detectionStrategies.map((d) => d.id).sort()).toEqual(
      strategies.map((r) => attackId(objects.get(r.source_ref as string) as RawObject)).sort(),
    );
    const analytics = strategies.flatMap(
      (r) => objects.get(r.source_ref as string)?.x_mitre_analytic_refs ?? [],
    );
    expect(card.detectionStrategies.flatMap((d) => d.analytics.map((a) => a.id)).sort()).toEqual(
      analytics.map((ref) => attackId(objects.get(ref) as RawObject)).sort(),
    );
    expect(card.detectionStrategies[0]?.analytics[0]?.logSources.length).toBeGreaterThan(0);
    expect(card.mitigations.map((m) => m.id)).toContain('M1043'); // Credential Access Protection

    // D3FEND: LSASS Memory accesses Process (via Authentication Service); Process Spawn Analysis analyzes Process.
    expect(ttl).toMatch(
      /:T1003\.001 a owl:Class ;[\s\S]*?owl:onProperty :accesses ;\s+owl:someValuesFrom :Process \]/,
    );
    const detect = card.countermeasures.find((g) => g.tactic === 'Detect');
    const psa = detect?.countermeasures.find((c) => c.id === 'D3-PSA');
    expect(psa?.paths[0]?.text).toBe('Process Spawn Analysis analyzes Process, which T1003.001 accesses');
    expect(card.countermeasures.map((g) => g.tactic)).toEqual(['Detect', 'Isolate', 'Evict']);
    expect(
      card.countermeasures.find((g) => g.tactic === 'Evict')?.countermeasures.map((c) => c.id),
    ).toContain('D3-PT');
  });

  it('resolves a revoked id to its replacement and says so', () => {
    const objects = byId();
    const revokedBy = raw.objects.find(
      (o) => o.relationship_type === 'revoked-by' && o.source_ref === stixIdOf('T1086'),
    );
    const replacement = attackId(objects.get(revokedBy?.target_ref as string) as RawObject);
    expect(replacement).toBe('T1059.001');
    const card = buildCard(index, 'T1086');
    expect(card?.id).toBe(replacement);
    expect(card?.resolvedFrom).toMatchObject({ id: 'T1086', status: 'revoked', replacedBy: 'T1059.001' });
    expect(buildCard(index, 'T9999')).toBeNull();
  });

  it("builds a group card with the group's techniques and campaigns", () => {
    const card = buildCard(index, 'G0016') as GroupCard;
    const sid = stixIdOf('G0016', 'intrusion-set');
    const objects = byId();
    const used = liveRelations('uses')
      .filter((r) => r.source_ref === sid && objects.get(r.target_ref as string)?.type === 'attack-pattern')
      .map((r) => attackId(objects.get(r.target_ref as string) as RawObject))
      .sort();
    expect(card.name).toBe('APT29');
    expect(card.aliases).toContain('Cozy Bear');
    expect(card.techniques.map((t) => t.id).sort()).toEqual(used);
    expect(card.campaigns.map((c) => c.id)).toContain('C0024');
  });

  it('accepts the STIX 2.1 release form of the same bundle and yields the same cards', () => {
    const v21 = {
      type: 'bundle',
      id: 'bundle--9b2f2cf5-3bd4-4d6c-8b7d-7c5c1c4d2d10',
      objects: [
        {
          type: 'x-mitre-collection',
          id: 'x-mitre-collection--1f5f1533-f617-4ca8-9ab4-6a02367fa019',
          spec_version: '2.1',
          created: '2025-11-12T00:00:00.000Z',
          modified: '2025-11-12T00:00:00.000Z',
          name: 'Enterprise ATT&CK',
          x_mitre_version: '18.1',
          x_mitre_contents: [],
        },
        ...raw.objects.map((o) => ({ ...o, spec_version: '2.1' })),
      ],
    };
    const parsed = parseStixBundle(v21);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.source).toMatchObject({ specVersion: '2.1', attackVersion: '18.1' });
    expect(attack.source).toMatchObject({ specVersion: '2.0', attackVersion: null });
    expect(parsed.value.techniques.length).toBe(attack.techniques.length);
    expect(parsed.value.relationships.length).toBe(attack.relationships.length);
    const index21 = buildKnowledgeIndex(parsed.value, d3fend);
    expect(buildCard(index21, 'T1003.001')).toEqual(buildCard(index, 'T1003.001'));
  });

  it('parses D3FEND: defensive techniques with tactics, ATT&CK technique classes, artifacts', () => {
    // Independent counts from the Turtle text.
    const attackIds = new Set([...ttl.matchAll(/:attack-id "([^"]+)"/g)].map((m) => m[1]));
    const defensiveIds = new Set([...ttl.matchAll(/:d3fend-id "(D3-[A-Z0-9]+)"/g)].map((m) => m[1]));
    expect(new Set(d3fend.offensive.map((o) => o.attackId))).toEqual(attackIds);
    const parsedIds = new Set(d3fend.techniques.map((t) => t.id));
    // Every parsed id is in the text; the only one left out is an analytic method filed outside the
    // DefensiveTechnique tree (ARMA Model, a time-series analysis method).
    expect([...parsedIds].every((id) => defensiveIds.has(id))).toBe(true);
    expect([...defensiveIds].filter((id) => !parsedIds.has(id as string))).toEqual(['D3-ARMA']);
    expect(d3fend.techniques.every((t) => t.tactic !== null)).toBe(true);
    const psa = d3fend.techniques.find((t) => t.id === 'D3-PSA');
    expect(psa).toMatchObject({ name: 'Process Spawn Analysis', tactic: 'Detect', parentId: 'D3-PA' });
    expect(d3fend.techniques.find((t) => t.id === 'D3-PT')?.tactic).toBe('Evict');
    expect(d3fend.artifacts.find((a) => a.key === 'Process')?.name).toBe('Process');
  });

  it('measures the countermeasure coverage of current ATT&CK techniques', () => {
    const current = attack.techniques.filter(isCurrent);
    const covered = current.filter((t) => (index.countermeasures.get(t.id)?.length ?? 0) > 0);
    const inD3fend = current.filter((t) => d3fend.offensive.some((o) => o.attackId === t.id));
    console.log(
      `[knowledge] D3FEND coverage: ${covered.length} of ${current.length} current ATT&CK techniques ` +
        `(${((100 * covered.length) / current.length).toFixed(1)}%) have at least one countermeasure; ` +
        `${inD3fend.length} are modelled in D3FEND`,
    );
    expect(covered.length).toBeGreaterThan(current.length / 2);
    expect(snapshotOnce().counts.techniquesWithCountermeasures).toBe(covered.length);
  });

  it('search finds by name and by id', () => {
    const search = createSearch(searchDocumentsOf(snapshotOnce().ids));
    expect(search.search('powershell')[0]?.id).toBe('T1059.001');
    expect(search.search('T1059.001')[0]?.id).toBe('T1059.001');
    expect(search.search('lsass')[0]?.id).toBe('T1003.001');
    expect(search.search('mimikatz')[0]?.id).toBe('S0002');
    expect(search.search('cozy bear')[0]?.id).toBe('G0016');
    expect(search.search('process spawn analysis')[0]?.id).toBe('D3-PSA');
    expect(search.search('T1086')).toEqual([]);
  });
});
