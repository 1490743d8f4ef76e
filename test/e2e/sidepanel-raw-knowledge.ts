import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'n3';
import { sharedDataDir } from './server';

/**
 * Expected values for the side panel's knowledge tests, computed straight from the raw files in ../shared/data
 * (STIX JSON and D3FEND Turtle), independently of lib/knowledge.
 */
type Stix = {
  id: string;
  type: string;
  name?: string;
  description?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_shortname?: string;
  kill_chain_phases?: { kill_chain_name: string; phase_name: string }[];
  external_references?: { source_name: string; external_id?: string; url?: string }[];
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  tactic_refs?: string[];
};

export interface RawAttack {
  techniqueTactics(id: string): string[];
  mitigationsOf(id: string): string[];
  revokedBy(id: string): string | undefined;
  nameOf(id: string): string | undefined;
  /** The first `(Citation: name)` of a technique's description, with that source's URL from its references. */
  firstCitation(id: string): { name: string; url: string | undefined } | undefined;
}

function attackId(o: Stix): string | undefined {
  return o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
}
const live = (o: Stix | undefined) => Boolean(o) && !o?.revoked && !o?.x_mitre_deprecated;

export function loadRawAttack(): RawAttack {
  const file = path.join(sharedDataDir, 'attack/enterprise-attack-18.1.json.gz');
  const bundle = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { objects: Stix[] };
  const byStix = new Map(bundle.objects.map((o) => [o.id, o]));
  const techniques = bundle.objects.filter((o) => o.type === 'attack-pattern');
  const tacticName = new Map(
    bundle.objects
      .filter((o) => o.type === 'x-mitre-tactic')
      .map((o) => [o.x_mitre_shortname ?? '', o.name ?? '']),
  );
  const matrix = bundle.objects.find((o) => o.type === 'x-mitre-matrix');
  const order = (matrix?.tactic_refs ?? []).map((ref) => byStix.get(ref)?.x_mitre_shortname ?? '');
  const technique = (id: string) => techniques.find((t) => attackId(t) === id && live(t));
  return {
    firstCitation(id) {
      const t = technique(id);
      const name = /\(Citation: ([^)]+)\)/.exec(t?.description ?? '')?.[1];
      if (!t || !name) return undefined;
      return { name, url: t.external_references?.find((r) => r.source_name === name)?.url };
    },
    techniqueTactics(id) {
      const t = technique(id);
      const phases = (t?.kill_chain_phases ?? []).filter((p) => p.kill_chain_name === 'mitre-attack');
      return phases
        .map((p) => p.phase_name)
        .sort((a, b) => order.indexOf(a) - order.indexOf(b))
        .map((s) => tacticName.get(s) ?? s);
    },
    mitigationsOf(id) {
      const t = technique(id);
      if (!t) return [];
      const out = new Set<string>();
      for (const r of bundle.objects) {
        if (
          r.type !== 'relationship' ||
          r.relationship_type !== 'mitigates' ||
          r.target_ref !== t.id ||
          !live(r)
        )
          continue;
        const source = byStix.get(r.source_ref ?? '');
        if (source?.type === 'course-of-action' && live(source)) out.add(attackId(source) ?? '');
      }
      return [...out].sort();
    },
    revokedBy(id) {
      const old = techniques.find((t) => attackId(t) === id && t.revoked);
      if (!old) return undefined;
      let next = bundle.objects.find(
        (r) => r.type === 'relationship' && r.relationship_type === 'revoked-by' && r.source_ref === old.id,
      )?.target_ref;
      for (let hops = 0; next && hops < 10; hops++) {
        const target = byStix.get(next);
        if (target && !target.revoked) return attackId(target);
        next = bundle.objects.find(
          (r) => r.type === 'relationship' && r.relationship_type === 'revoked-by' && r.source_ref === next,
        )?.target_ref;
      }
      return undefined;
    },
    nameOf(id) {
      return technique(id)?.name;
    },
  };
}

export interface RawD3fend {
  /** D3FEND ids of the (non-deprecated) defensive techniques that act on an artifact the technique acts on. */
  sameArtifactCountermeasures(attackId: string): Map<string, string>;
  /** Labels of the artifacts the technique (with its ancestors) and the defensive technique (with its) act on. */
  artifactsOfAttack(attackId: string): Set<string>;
  artifactsOfDefense(d3fendId: string): Set<string>;
  labelOf(d3fendId: string): string | undefined;
}

export function loadRawD3fend(): RawD3fend {
  const file = path.join(sharedDataDir, 'd3fend/d3fend-protege.ttl.gz');
  const quads = new Parser().parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const ns = 'http://d3fend.mitre.org/ontologies/d3fend.owl#';
  const parents = new Map<string, string[]>();
  const restrictions = new Map<string, string[]>();
  const blank = new Map<string, { property?: string; value?: string }>();
  const label = new Map<string, string>();
  const d3fendId = new Map<string, string>();
  const attackIdOf = new Map<string, string>();
  const deprecated = new Set<string>();
  const push = (map: Map<string, string[]>, k: string, v: string) => map.set(k, [...(map.get(k) ?? []), v]);
  for (const q of quads) {
    const s = q.subject.value;
    const p = q.predicate.value;
    const o = q.object;
    if (p === 'http://www.w3.org/2000/01/rdf-schema#subClassOf') {
      if (o.termType === 'NamedNode') push(parents, s, o.value);
      else if (o.termType === 'BlankNode') push(restrictions, s, o.value);
    } else if (p === 'http://www.w3.org/2002/07/owl#onProperty')
      blank.set(s, { ...blank.get(s), property: o.value });
    else if (p === 'http://www.w3.org/2002/07/owl#someValuesFrom')
      blank.set(s, { ...blank.get(s), value: o.value });
    else if (p === 'http://www.w3.org/2000/01/rdf-schema#label' && !label.has(s)) label.set(s, o.value);
    else if (p === `${ns}d3fend-id`) d3fendId.set(o.value, s);
    else if (p === `${ns}attack-id`) attackIdOf.set(o.value, s);
    else if (p === 'http://www.w3.org/2002/07/owl#deprecated' && o.value === 'true') deprecated.add(s);
  }
  const ancestors = (cls: string): string[] => {
    const out: string[] = [];
    const stack = [cls];
    while (stack.length) {
      const c = stack.pop() as string;
      if (out.includes(c)) continue;
      out.push(c);
      stack.push(...(parents.get(c) ?? []));
    }
    return out;
  };
  const isArtifact = (cls: string) => ancestors(cls).includes(`${ns}DigitalArtifact`);
  const attackClasses = new Set(attackIdOf.values());
  const defenseClasses = new Set(d3fendId.values());
  // Restrictions are inherited from ancestors of the same family only (ATT&CK technique classes for a technique,
  // D3FEND technique classes for a countermeasure), as OWL's subclass semantics and D3FEND's modelling intend.
  const lineage = (cls: string, family: Set<string>): string[] =>
    ancestors(cls).filter((c) => c === cls || family.has(c));
  const artifacts = (cls: string): Set<string> => {
    const out = new Set<string>();
    const family = attackClasses.has(cls) ? attackClasses : defenseClasses;
    for (const c of lineage(cls, family))
      for (const b of restrictions.get(c) ?? []) {
        const r = blank.get(b);
        if (r?.value && r.property !== `${ns}enables` && isArtifact(r.value)) out.add(r.value);
      }
    return out;
  };
  return {
    sameArtifactCountermeasures(id) {
      const cls = attackIdOf.get(id);
      const mine = cls ? artifacts(cls) : new Set<string>();
      const out = new Map<string, string>();
      for (const [did, dcls] of d3fendId) {
        if (deprecated.has(dcls)) continue;
        for (const a of artifacts(dcls)) if (mine.has(a)) out.set(did, label.get(dcls) ?? did);
      }
      return out;
    },
    artifactsOfAttack(id) {
      const cls = attackIdOf.get(id);
      return new Set([...(cls ? artifacts(cls) : [])].map((a) => label.get(a) ?? a));
    },
    artifactsOfDefense(id) {
      const cls = d3fendId.get(id);
      return new Set([...(cls ? artifacts(cls) : [])].map((a) => label.get(a) ?? a));
    },
    labelOf(id) {
      const cls = d3fendId.get(id);
      return cls ? label.get(cls) : undefined;
    },
  };
}
