/**
 * Read side of the knowledge base, over Dexie: cards, id lookups, known ids, search, status. Used by the side panel
 * (an extension page opens the database directly) and by the background for the content script's `kb.lookup`.
 *
 * A card query is one key-range read of the shards the card lies in (card-shards.ts; or, for a generation written
 * before that layout, of the card's rows), plus a read of `meta['active']` (which generation is in use) at most
 * every 2 s; an import that commits in another context announces it on a BroadcastChannel, so the new knowledge is
 * seen at once. The card index, id rows, the search index and the last few shards read are cached in memory.
 */
import type { Card } from './card.ts';
import {
  CARD_INDEX_KEY,
  type CardIndex,
  isCardLocation,
  readShardedCard,
  ShardCache,
} from './card-shards.ts';
import { cardFromRows, readCardRows } from './card-store.ts';
import type { ActiveKnowledge, IdRow, KnowledgeDatabase } from './db.ts';
import { IDS_KEY, KNOWLEDGE_CHANNEL, META_ACTIVE, META_LAST_ERROR, META_PROGRESS } from './db.ts';

const ACTIVE_CACHE_MS = 2_000;

import type { ImportProgress, LastError } from './import-knowledge.ts';
import { type CardKind, normaliseId } from './knowledge-index.ts';
import { createSearch, type KnowledgeSearch, type SearchResult, searchDocumentsOf } from './search.ts';

/** What the content script learns about an id on the page. */
export interface LookupResult {
  id: string;
  /** `known`: a current or deprecated id; `revoked`: replaced (see `replacedBy`); `unknown`: not in ATT&CK / D3FEND. */
  status: 'known' | 'revoked' | 'unknown';
  name?: string;
  kind?: CardKind;
  deprecated?: boolean;
  replacedBy?: string;
}

export interface KnowledgeStatus {
  /** `empty`: nothing imported yet; `ready`: knowledge in use (an update may be running, see `progress`). */
  state: 'empty' | 'ready';
  active: ActiveKnowledge | null;
  /** Set while an import runs. */
  progress: ImportProgress | null;
  /** The last import's failure, kept until an import succeeds. */
  lastError: LastError | null;
}

export interface KnowledgeQueries {
  card(id: string): Promise<Card | null>;
  lookup(ids: readonly string[]): Promise<LookupResult[]>;
  knownIds(): Promise<string[]>;
  search(query: string, limit?: number): Promise<SearchResult[]>;
  status(): Promise<KnowledgeStatus>;
  /** A derived document stored with the active generation (e.g. `hints`). */
  blob<T = unknown>(key: string): Promise<T | null>;
  /** Forget the cached active generation (after an import in this context). */
  invalidate(): void;
}

export function createKnowledgeQueries(db: KnowledgeDatabase): KnowledgeQueries {
  let cache: { generation: number; ids: Map<string, IdRow>; search?: KnowledgeSearch } | null = null;

  const readActive = async (): Promise<ActiveKnowledge | null> =>
    ((await db.meta.get(META_ACTIVE))?.value as ActiveKnowledge | undefined) ?? null;
  // The active generation is cached for a moment, so that a card query is a single read; an import that commits
  // (in any context) announces it on a BroadcastChannel, which drops the cache at once.
  let activeCache: { value: Promise<ActiveKnowledge | null>; at: number } | null = null;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(KNOWLEDGE_CHANNEL) : null;
  channel?.addEventListener('message', () => {
    activeCache = null;
  });
  (channel as { unref?: () => void } | null)?.unref?.();
  const active = async (): Promise<ActiveKnowledge | null> => {
    const now = Date.now();
    if (!activeCache || now - activeCache.at > ACTIVE_CACHE_MS)
      activeCache = { value: readActive(), at: now };
    const value = await activeCache.value;
    // "Nothing imported yet" is not cached: the first import must show at once.
    if (value === null) activeCache = null;
    return value;
  };

  const idsOf = async (generation: number) => {
    if (cache?.generation !== generation) {
      const blob = await db.blobs.get([generation, IDS_KEY]);
      // Generations written before the sharded layout have one `ids` row per id.
      const rows: Omit<IdRow, 'generation'>[] = blob
        ? (JSON.parse(blob.json) as Omit<IdRow, 'generation'>[])
        : await db.ids.where('generation').equals(generation).toArray();
      cache = { generation, ids: new Map(rows.map((r) => [r.id, { ...r, generation }])) };
    }
    return cache;
  };

  // Where each card of the generation is (null: a generation of the per-card-row layout). Read once, ~60 KB.
  let cardIndexCache: { generation: number; index: Promise<CardIndex | null> } | null = null;
  // Rows are keyed by generation too, so a stale shard is never served after an import.
  const shards = new ShardCache();
  const cardIndexOf = (generation: number): Promise<CardIndex | null> => {
    if (cardIndexCache?.generation !== generation) {
      const index = db.blobs
        .get([generation, CARD_INDEX_KEY])
        .then((row) => (row ? (JSON.parse(row.json) as CardIndex) : null));
      cardIndexCache = { generation, index };
      index.catch(() => {
        if (cardIndexCache?.index === index) cardIndexCache = null;
      });
    }
    return cardIndexCache.index;
  };

  return {
    async card(rawId) {
      const current = await active();
      if (!current) return null;
      const id = normaliseId(rawId);
      const index = await cardIndexOf(current.generation);
      if (index) {
        const at = index.cards[id];
        if (!at) return null;
        if (isCardLocation(at)) return readShardedCard(db, current.generation, index, at, shards);
        const target = index.cards[at.redirect.replacedBy];
        if (!isCardLocation(target)) return null;
        const card = await readShardedCard(db, current.generation, index, target, shards);
        return card ? { ...card, resolvedFrom: at.redirect } : null;
      }
      const rows = await readCardRows(db, current.generation, id);
      const redirect = rows.find((r) => r.id === id)?.redirect;
      if (!redirect) return cardFromRows(rows);
      const target = cardFromRows(await readCardRows(db, current.generation, redirect.replacedBy));
      return target ? { ...target, resolvedFrom: redirect } : null;
    },

    async lookup(rawIds) {
      const current = await active();
      const ids = current ? (await idsOf(current.generation)).ids : new Map<string, IdRow>();
      return rawIds.map((raw) => {
        const id = normaliseId(raw);
        const row = ids.get(id);
        if (!row) return { id, status: 'unknown' };
        const result: LookupResult = {
          id,
          name: row.name,
          kind: row.kind,
          status: row.status === 'revoked' ? 'revoked' : 'known',
        };
        if (row.status === 'deprecated') result.deprecated = true;
        if (row.replacedBy) result.replacedBy = row.replacedBy;
        return result;
      });
    },

    async knownIds() {
      const current = await active();
      if (!current) return [];
      return [...(await idsOf(current.generation)).ids.keys()];
    },

    async search(query, limit = 20) {
      const current = await active();
      if (!current) return [];
      const entry = await idsOf(current.generation);
      entry.search ??= createSearch(searchDocumentsOf([...entry.ids.values()]));
      return entry.search.search(query, limit);
    },

    async status() {
      const [current, progress, lastError] = await Promise.all([
        readActive(),
        db.meta.get(META_PROGRESS),
        db.meta.get(META_LAST_ERROR),
      ]);
      return {
        state: current ? 'ready' : 'empty',
        active: current,
        progress: (progress?.value as ImportProgress | undefined) ?? null,
        lastError: (lastError?.value as LastError | undefined) ?? null,
      };
    },

    invalidate() {
      activeCache = null;
    },

    async blob<T>(key: string) {
      const current = await active();
      if (!current) return null;
      const row = await db.blobs.get([current.generation, key]);
      return row ? (JSON.parse(row.json) as T) : null;
    },
  };
}
