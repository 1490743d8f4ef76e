/**
 * How an import stores its cards (since the sharded layout; generations written before it keep one row per card,
 * read by card-store.ts). Every card's UTF-8 JSON is appended to one byte stream per generation, cut into shard rows
 * of `SHARD_BYTES` in the `cards` table (keys `[generation, "\u0001000042"]`, which sort before every id), and a
 * small card index (`blobs[generation, 'cardIndex']`: id -> [offset, length], or the redirect of a revoked id)
 * says where each card is.
 *
 * Why: IndexedDB pays per row and per byte; a few hundred 60 KB rows store the 22 MB of enterprise cards about twice
 * as fast as one row per card (2,400 rows), and each shard stays under Chromium's 64 KB out-of-line threshold, so
 * reading a card is one key-range read of the one or two shards (three or four for the largest cards) it lies in.
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

/** Where a generation's cards are: `[offset, length]` in its byte stream, or a revoked id's redirect. */
export interface CardIndex {
  shardBytes: number;
  cards: Record<string, [number, number] | { redirect: ResolvedFrom }>;
}

/** The key of shard `n` (fixed width, so keys sort in shard order; `\u0001` sorts before every card id). */
export function shardKey(n: number): string {
  return `\u0001${String(n).padStart(6, '0')}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends cards to the byte stream; hands back the shards that are full. */
export class CardShardWriter {
  readonly index: CardIndex = { shardBytes: SHARD_BYTES, cards: {} };
  private buffer = new Uint8Array(SHARD_BYTES * 4);
  private used = 0;
  private offset = 0;
  private shards = 0;

  constructor(readonly generation: number) {}

  /** Add cards; returns the shard rows completed by them. */
  add(cards: readonly SnapshotCard[]): CardShardRow[] {
    for (const card of cards) {
      if (card.json === null) {
        if (card.redirect) this.index.cards[card.id] = { redirect: card.redirect };
        continue;
      }
      // A UTF-8 encoding is at most 3 bytes per UTF-16 code unit.
      this.reserve(card.json.length * 3);
      const { written } = encoder.encodeInto(card.json, this.buffer.subarray(this.used));
      this.index.cards[card.id] = [this.offset + this.used, written];
      this.used += written;
    }
    return this.take(false);
  }

  /** The last, partly filled shard. */
  finish(): CardShardRow[] {
    return this.take(true);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.used + bytes));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }

  private take(all: boolean): CardShardRow[] {
    const rows: CardShardRow[] = [];
    let start = 0;
    while (this.used - start >= SHARD_BYTES || (all && this.used > start)) {
      const end = Math.min(start + SHARD_BYTES, this.used);
      rows.push({
        generation: this.generation,
        id: shardKey(this.shards++),
        data: this.buffer.slice(start, end),
      });
      start = end;
    }
    this.buffer.copyWithin(0, start, this.used);
    this.used -= start;
    this.offset += start;
    return rows;
  }
}

/** The shard rows holding the bytes at `[offset, length]`: one key-range read. */
export function readCardShards(
  db: KnowledgeDatabase,
  generation: number,
  index: CardIndex,
  at: readonly [number, number],
): Promise<CardShardRow[]> {
  const [offset, length] = at;
  const first = Math.floor(offset / index.shardBytes);
  const last = Math.floor((offset + Math.max(1, length) - 1) / index.shardBytes);
  return db
    .table('cards')
    .where('[generation+id]')
    .between([generation, shardKey(first)], [generation, shardKey(last)], true, true)
    .toArray() as Promise<CardShardRow[]>;
}

/** The card at `[offset, length]` from the shards `readCardShards` returned; null when one is missing. */
export function cardFromShards(
  rows: readonly CardShardRow[],
  index: CardIndex,
  at: readonly [number, number],
): Card | null {
  const [offset, length] = at;
  const first = Math.floor(offset / index.shardBytes);
  const last = Math.floor((offset + Math.max(1, length) - 1) / index.shardBytes);
  if (rows.length !== last - first + 1) return null;
  const slices: Uint8Array[] = [];
  let filled = 0;
  for (const [i, row] of rows.entries()) {
    if (row.id !== shardKey(first + i)) return null;
    const shardStart = (first + i) * index.shardBytes;
    const from = Math.max(offset, shardStart) - shardStart;
    const to = Math.min(offset + length, shardStart + row.data.length) - shardStart;
    if (to > from) slices.push(row.data.subarray(from, to));
    filled += Math.max(0, to - from);
  }
  if (filled !== length) return null;
  let bytes = slices[0] ?? new Uint8Array(0);
  if (slices.length > 1) {
    bytes = new Uint8Array(length);
    let o = 0;
    for (const slice of slices) {
      bytes.set(slice, o);
      o += slice.length;
    }
  }
  return JSON.parse(decoder.decode(bytes)) as Card;
}

/** The card at `[offset, length]`. */
export async function readShardedCard(
  db: KnowledgeDatabase,
  generation: number,
  index: CardIndex,
  at: readonly [number, number],
): Promise<Card | null> {
  return cardFromShards(await readCardShards(db, generation, index, at), index, at);
}
