/**
 * Everything an import stores, computed up front from the parsed data. Pure: the same rows in Node (tests, bench)
 * and in the extension. Every id gets its card document now, so that a card query later is one indexed read.
 */
import { buildCard, counteredTechniques } from './card.ts';
import type { CardRow, IdRow, KnowledgeCounts } from './db.ts';
import { type KnowledgeIndex, statusOf } from './knowledge-index.ts';
import { isCurrent } from './model.ts';

export interface Snapshot {
  cards: Omit<CardRow, 'generation'>[];
  ids: Omit<IdRow, 'generation'>[];
  counts: KnowledgeCounts;
}

export function buildSnapshot(index: KnowledgeIndex): Snapshot {
  const countered = counteredTechniques(index);
  const cards: Snapshot['cards'] = [];
  const ids: Snapshot['ids'] = [];
  for (const entry of index.entries.values()) {
    const card = buildCard(index, entry.id, { countered });
    if (!card) continue;
    const row: IdRow | Omit<IdRow, 'generation'> = {
      id: entry.id,
      name: entry.name,
      kind: entry.kind,
      status: entry.status,
    };
    if (entry.replacedBy) row.replacedBy = entry.replacedBy;
    if (card.resolvedFrom) {
      cards.push({ id: entry.id, kind: entry.kind, card: null, redirect: card.resolvedFrom });
    } else {
      cards.push({ id: entry.id, kind: entry.kind, card });
      const aliases = ('aliases' in card ? card.aliases : 'synonyms' in card ? card.synonyms : []).filter(
        (a) => a !== card.name,
      );
      if (aliases.length > 0) row.aliases = aliases;
      if (card.kind === 'technique' && card.parent) row.parentName = card.parent.name;
    }
    ids.push(row);
  }

  const { attack, d3fend } = index;
  const current = attack.techniques.filter(isCurrent);
  const all = [
    ...attack.techniques,
    ...attack.groups,
    ...attack.software,
    ...attack.campaigns,
    ...attack.mitigations,
    ...attack.tactics,
  ];
  const counts: KnowledgeCounts = {
    techniques: current.filter((t) => !t.isSubtechnique).length,
    subtechniques: current.filter((t) => t.isSubtechnique).length,
    tactics: attack.tactics.filter(isCurrent).length,
    groups: attack.groups.filter(isCurrent).length,
    software: attack.software.filter(isCurrent).length,
    campaigns: attack.campaigns.filter(isCurrent).length,
    mitigations: attack.mitigations.filter(isCurrent).length,
    detectionStrategies: attack.detectionStrategies.filter(isCurrent).length,
    analytics: attack.analytics.filter(isCurrent).length,
    dataComponents: attack.dataComponents.filter(isCurrent).length,
    relationships: attack.relationships.length,
    revoked: all.filter((o) => statusOf(o) === 'revoked').length,
    deprecated: all.filter((o) => statusOf(o) === 'deprecated').length,
    d3fendTechniques: index.d3fendById.size,
    d3fendArtifacts: d3fend?.artifacts.length ?? 0,
    techniquesWithCountermeasures: current.filter((t) => (index.countermeasures.get(t.id)?.length ?? 0) > 0)
      .length,
    cards: cards.length,
  };
  return { cards, ids, counts };
}
