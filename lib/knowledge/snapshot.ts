/**
 * Everything an import stores, computed from the parsed data. Pure: the same rows in Node (tests, CLI) and in the
 * extension. Every id gets its card now, so that a card query later is one indexed read. The import builds card
 * rows chunk by chunk (`cardRows`) so that IndexedDB writes of one chunk overlap the building of the next;
 * `buildSnapshot` builds them all at once.
 */
import { buildCard, type CardOptions, counteredTechniques, redirectOf } from './card.ts';
import type { CardRow, IdRow, KnowledgeCounts } from './db.ts';
import { type IdEntry, type KnowledgeIndex, statusOf } from './knowledge-index.ts';
import { isCurrent } from './model.ts';

/** A card as the import computes it: JSON text (card-shards.ts packs it into stored shards). */
export interface SnapshotCard {
  id: string;
  kind: CardRow['kind'];
  /** The card's JSON; null for a revoked id that redirects to its replacement. */
  json: string | null;
  redirect?: CardRow['redirect'];
}

export interface Snapshot {
  cards: SnapshotCard[];
  ids: Omit<IdRow, 'generation'>[];
  counts: KnowledgeCounts;
}

/** Precomputed lookups shared by every card of one import. */
export function cardContext(index: KnowledgeIndex): CardOptions {
  return { countered: counteredTechniques(index) };
}

/** Card rows for some ids (a revoked id with a replacement becomes a small redirect row). */
export function cardRows(
  index: KnowledgeIndex,
  entries: readonly IdEntry[],
  context: CardOptions,
): SnapshotCard[] {
  const rows: SnapshotCard[] = [];
  for (const entry of entries) {
    const redirect = redirectOf(index, entry.id);
    if (redirect) {
      rows.push({ id: entry.id, kind: entry.kind, json: null, redirect });
      continue;
    }
    const card = buildCard(index, entry.id, context);
    if (card) rows.push({ id: entry.id, kind: entry.kind, json: JSON.stringify(card) });
  }
  return rows;
}

/** The id table: names, kinds, statuses, replacements, and the extra names search uses. */
export function idRows(index: KnowledgeIndex): Omit<IdRow, 'generation'>[] {
  const rows: Omit<IdRow, 'generation'>[] = [];
  for (const entry of index.entries.values()) {
    const row: Omit<IdRow, 'generation'> = {
      id: entry.id,
      name: entry.name,
      kind: entry.kind,
      status: entry.status,
    };
    if (entry.replacedBy) row.replacedBy = entry.replacedBy;
    const object = index.objectById.get(entry.id);
    const d3fend = entry.kind === 'd3fend' ? index.d3fendById.get(entry.id) : undefined;
    const names = object && 'aliases' in object ? object.aliases : (d3fend?.synonyms ?? []);
    const aliases = names.filter((a) => a !== entry.name);
    if (aliases.length > 0) row.aliases = aliases;
    if (object?.kind === 'technique' && object.parentId) {
      const parent = index.objectById.get(object.parentId);
      if (parent) row.parentName = parent.name;
    }
    rows.push(row);
  }
  return rows;
}

export function countsOf(index: KnowledgeIndex, cards: number): KnowledgeCounts {
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
  return {
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
    cards,
  };
}

export function buildSnapshot(index: KnowledgeIndex): Snapshot {
  const cards = cardRows(index, [...index.entries.values()], cardContext(index));
  return { cards, ids: idRows(index), counts: countsOf(index, cards.length) };
}
