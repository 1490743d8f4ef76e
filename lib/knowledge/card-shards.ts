/**
 * How an import stores its cards (since the sharded layout; generations written before it keep one row per card,
 * read by card-store.ts). Cards' UTF-8 JSON is packed into shard rows of at most `SHARD_BYTES` in the `cards` table
 * (keys `[generation, "\u0001000042"]`, which sort before every id), and a small card index
 * (`blobs[generation, 'cardIndex']`: id -> [shard, offset, length], or the redirect of a revoked id) says where
 * each card is.
 *
 * Why: IndexedDB pays per row and per byte; a few hundred 60 KB rows store the 22 MB of enterprise cards about twice
 * as fast as one row per card (2,400 rows), and each shard stays under Chromium's 64 KB out-of-line threshold. A card
 * that fits in a shard is never split (it starts a new shard when the current one is too full), so reading it is
 * one keyed read; a larger card starts a shard and fills the following ones, read with one key-range read.
 */
import type { Card, ResolvedFrom } from './card.ts';
import type { KnowledgeDatabase } from './db.ts';
import type { SnapshotCard } from './snapshot.ts';

export const SHARD_BYTES = 60_000;
export const CARD_INDEX_KEY = 'cardIndex';

/** A shard row in the `cards` table. */
export interface CardShardRow {
  generation: number;
  id: string;
  data: Uint8Array;
}

/** Where a card is: its first shard, the offset in it, its length in bytes (continuing into the next shards). */
export type CardLocation = readonly [shard: number, offset: number, length: number];

/** Where a generation's cards are, or a revoked id's redirect. */
export interface CardIndex {
  shardBytes: number;
  cards: Record<string, CardLocation | { redirect: ResolvedFrom }>;
}

export function isCardLocation(entry: CardIndex['cards'][string] | undefined): entry is CardLocation {
  return Array.isArray(entry);
}

/** The key of shard `n` (fixed width, so keys sort in shard order; `\u0001` sorts before every card id). */
export function shardKey(n: number): string {
  return `\u0001${String(n).padStart(6, '0')}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Packs cards into shards; hands back the shards that are complete. */
export class CardShardWriter {
  readonly index: CardIndex = { shardBytes: SHARD_BYTES, cards: {} };
  private shard = new Uint8Array(SHARD_BYTES);
  private used = 0;
  private shardNumber = 0;
  private done: CardShardRow[] = [];

  constructor(readonly generation: number) {}

  /** Add cards; returns the shard rows completed by them. */
  add(cards: readonly SnapshotCard[]): CardShardRow[] {
    for (const card of cards) {
      if (card.json === null) {
        if (card.redirect) this.index.cards[card.id] = { redirect: card.redirect };
        continue;
      }
      if (this.put(card.id, card.json)) continue;
      // Too big for what is left of this shard: start a new one.
      this.flush();
      if (this.put(card.id, card.json)) continue;
      // Bigger than a shard: full shards of it, its tail starts the next shard.
      const bytes = encoder.encode(card.json);
      this.index.cards[card.id] = [this.shardNumber, 0, bytes.length];
      let at = 0;
      while (bytes.length - at >= SHARD_BYTES) {
        this.shard.set(bytes.subarray(at, at + SHARD_BYTES));
        this.used = SHARD_BYTES;
        at += SHARD_BYTES;
        this.flush();
      }
      this.shard.set(bytes.subarray(at));
      this.used = bytes.length - at;
    }
    return this.done.splice(0);
  }

  /** The last, partly filled shard. */
  finish(): CardShardRow[] {
    this.flush();
    return this.done.splice(0);
  }

  /** Encode a card into the current shard if it fits there whole. */
  private put(id: string, json: string): boolean {
    const { read, written } = encoder.encodeInto(json, this.shard.subarray(this.used));
    if (read !== json.length) return false;
    this.index.cards[id] = [this.shardNumber, this.used, written];
    this.used += written;
    return true;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.done.push({
      generation: this.generation,
      id: shardKey(this.shardNumber++),
      data: this.shard.slice(0, this.used),
    });
    this.used = 0;
  }
}

function lastShardOf(index: CardIndex, [shard, offset, length]: CardLocation): number {
  return shard + Math.floor((offset + Math.max(1, length) - 1) / index.shardBytes);
}

/**
 * The last few shards read, per generation: neighbouring ids (a technique and its sub-techniques, a group's
 * software) share a shard, so moving between them in the panel reads nothing. At most `size` x 60 KB.
 */
export class ShardCache {
  private rows = new Map<string, CardShardRow>();
  constructor(private readonly size = 8) {}

  get(generation: number, shard: number): CardShardRow | undefined {
    const key = `${generation} ${shard}`;
    const row = this.rows.get(key);
    if (row) {
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    return row;
  }

  put(rows: readonly CardShardRow[]): void {
    for (const row of rows) {
      const key = `${row.generation} ${Number(row.id.slice(1))}`;
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    for (const key of this.rows.keys()) {
      if (this.rows.size <= this.size) break;
      this.rows.delete(key);
    }
  }
}

/** The shard rows holding a card: one keyed read, or one key-range read for a card larger than a shard. */
export async function readCardShards(
  db: KnowledgeDatabase,
  generation: number,
  index: CardIndex,
  at: CardLocation,
  cache?: ShardCache,
): Promise<CardShardRow[]> {
  const first = at[0];
  const last = lastShardOf(index, at);
  const table = db.table<CardShardRow, [number, string]>('cards');
  let rows: CardShardRow[];
  if (first === last) {
    const cached = cache?.get(generation, first);
    if (cached) return [cached];
    const row = await table.get([generation, shardKey(first)]);
    rows = row ? [row] : [];
  } else {
    rows = await table
      .where('[generation+id]')
      .between([generation, shardKey(first)], [generation, shardKey(last)], true, true)
      .toArray();
  }
  cache?.put(rows);
  return rows;
}

/** The card from the shards `readCardShards` returned; null when one is missing. */
export function cardFromShards(
  rows: readonly CardShardRow[],
  index: CardIndex,
  at: CardLocation,
): Card | null {
  const [first, offset, length] = at;
  if (rows.length !== lastShardOf(index, at) - first + 1) return null;
  let bytes: Uint8Array;
  if (rows.length === 1 && rows[0]?.id === shardKey(first)) {
    if (rows[0].data.length < offset + length) return null;
    bytes = rows[0].data.subarray(offset, offset + length);
  } else {
    bytes = new Uint8Array(length);
    let filled = 0;
    for (const [i, row] of rows.entries()) {
      if (row.id !== shardKey(first + i)) return null;
      const from = i === 0 ? offset : 0;
      const take = Math.min(length - filled, row.data.length - from);
      bytes.set(row.data.subarray(from, from + take), filled);
      filled += take;
    }
    if (filled !== length) return null;
  }
  return JSON.parse(decoder.decode(bytes)) as Card;
}

/** The card at a location. */
export async function readShardedCard(
  db: KnowledgeDatabase,
  generation: number,
  index: CardIndex,
  at: CardLocation,
  cache?: ShardCache,
): Promise<Card | null> {
  return cardFromShards(await readCardShards(db, generation, index, at, cache), index, at);
}
