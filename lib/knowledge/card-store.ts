/**
 * How cards sit in IndexedDB. A card is stored as UTF-8 JSON bytes, split into parts of at most 60,000 bytes.
 *
 * Why: Chromium keeps an IndexedDB value larger than 64 KB out of line, as a blob file of its own, and reading one
 * back costs an extra round trip and a file read (tens of milliseconds under load, the card query's p95). About a
 * hundred ATT&CK cards (the most used techniques, with hundreds of procedure examples) exceed it. Bytes rather than
 * a JS string because a string with a single non-Latin-1 character (a curly quote) is stored two bytes per
 * character; and bytes rather than the card object because a structured clone of a deep object is far slower to
 * write and read than a byte array (seconds for the 22 MB of enterprise cards).
 *
 * Part 0 is the row keyed by the card's id (with `parts` when there are more); part i > 0 is keyed
 * `${id}\u0000${i}`, so that every part of a card is one contiguous key range: the card query is a single range
 * read.
 */
import type { Card } from './card.ts';
import type { CardRow, KnowledgeDatabase } from './db.ts';
import type { Snapshot } from './snapshot.ts';

export const PART_BYTES = 60_000;
const PART_SEPARATOR = '\u0000';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Stored rows (with their continuation parts) for snapshot card rows. */
export function toStoredCardRows(rows: Snapshot['cards'], generation: number): CardRow[] {
  const out: CardRow[] = [];
  for (const row of rows) {
    if (row.json === null) {
      const stored: CardRow = { generation, id: row.id, kind: row.kind, data: null };
      if (row.redirect) stored.redirect = row.redirect;
      out.push(stored);
      continue;
    }
    const bytes = encoder.encode(row.json);
    const parts = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
    for (let part = 0; part < parts; part++) {
      const data = bytes.slice(part * PART_BYTES, (part + 1) * PART_BYTES);
      const stored: CardRow = {
        generation,
        id: part === 0 ? row.id : `${row.id}${PART_SEPARATOR}${part}`,
        kind: row.kind,
        data,
      };
      if (part === 0 && parts > 1) stored.parts = parts;
      if (part > 0) stored.part = part;
      out.push(stored);
    }
  }
  return out;
}

/** Whether a stored row is a continuation part (not a card of its own). */
export function isContinuation(row: Pick<CardRow, 'id'>): boolean {
  return row.id.includes(PART_SEPARATOR);
}

/** Reassemble a card from its rows (first row first, then parts in any order). */
export function cardFromRows(rows: readonly CardRow[]): Card | null {
  const first = rows.find((r) => !isContinuation(r));
  if (!first?.data) return null;
  const parts = first.parts ?? 1;
  if (parts === 1) return JSON.parse(decoder.decode(first.data)) as Card;
  const ordered = [first.data];
  for (let part = 1; part < parts; part++) {
    const row = rows.find((r) => r.part === part);
    if (!row?.data) return null;
    ordered.push(row.data);
  }
  const total = ordered.reduce((n, b) => n + b.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const b of ordered) {
    bytes.set(b, offset);
    offset += b.length;
  }
  return JSON.parse(decoder.decode(bytes)) as Card;
}

/** Every stored row of one card (or its redirect row): one key-range read. */
export function readCardRows(db: KnowledgeDatabase, generation: number, id: string): Promise<CardRow[]> {
  return db.cards
    .where('[generation+id]')
    .between([generation, id], [generation, `${id}${PART_SEPARATOR}\uffff`], true, true)
    .toArray()
    .then((rows) => rows.filter((r) => r.id === id || r.id.startsWith(`${id}${PART_SEPARATOR}`)));
}
