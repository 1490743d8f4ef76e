/**
 * Several ATT&CK domains (enterprise + mobile + ICS) -> one AttackData. Pure. Objects shared by domains (a group
 * in enterprise and ICS has the same STIX id in both bundles) appear once, in their latest `modified` version;
 * relationships are the union by STIX id.
 */
import type { AttackData, AttackDomain } from './model.ts';

type Keyed = { stixId: string; modified: string };

function unionByStixId<T extends Keyed>(lists: T[][]): T[] {
  const byId = new Map<string, T>();
  for (const list of lists) {
    for (const item of list) {
      const existing = byId.get(item.stixId);
      if (!existing || item.modified > existing.modified) byId.set(item.stixId, item);
    }
  }
  return [...byId.values()];
}

export function mergeAttackData(datasets: readonly AttackData[]): AttackData {
  const [first] = datasets;
  if (!first) throw new Error('mergeAttackData needs at least one dataset');
  if (datasets.length === 1) return first;
  const domains: AttackDomain[] = [];
  for (const d of datasets)
    for (const domain of d.source.domains) if (!domains.includes(domain)) domains.push(domain);
  const relationships = new Map<string, AttackData['relationships'][number]>();
  for (const d of datasets) for (const r of d.relationships) relationships.set(r.stixId, r);
  return {
    source: {
      specVersion: first.source.specVersion,
      domains,
      attackVersion: first.source.attackVersion,
      name: datasets.map((d) => d.source.name).join(' + '),
      lastModified:
        datasets
          .map((d) => d.source.lastModified)
          .sort()
          .at(-1) ?? '',
      skippedObjects: datasets.reduce((n, d) => n + d.source.skippedObjects, 0),
    },
    techniques: unionByStixId(datasets.map((d) => d.techniques)),
    tactics: unionByStixId(datasets.map((d) => d.tactics)),
    groups: unionByStixId(datasets.map((d) => d.groups)),
    software: unionByStixId(datasets.map((d) => d.software)),
    campaigns: unionByStixId(datasets.map((d) => d.campaigns)),
    mitigations: unionByStixId(datasets.map((d) => d.mitigations)),
    dataSources: unionByStixId(datasets.map((d) => d.dataSources)),
    dataComponents: unionByStixId(datasets.map((d) => d.dataComponents)),
    detectionStrategies: unionByStixId(datasets.map((d) => d.detectionStrategies)),
    analytics: unionByStixId(datasets.map((d) => d.analytics)),
    relationships: [...relationships.values()],
  };
}
