import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../lib/knowledge/card.ts';
import {
  type CardLocation,
  CardShardWriter,
  cardFromShards,
  isCardLocation,
  readCardShards,
  readShardedCard,
  SHARD_BYTES,
  ShardCache,
} from '../../../lib/knowledge/card-shards.ts';
import type { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import { testDatabase } from './test-db.ts';

const opened: KnowledgeDatabase[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function card(id: string, description: string): Card {
  return {
    kind: 'mitigation',
    id,
    name: `Name of ${id}`,
    url: '',
    status: 'current',
    description,
    version: '1.0',
    modified: '',
    domains: [],
    techniques: [],
    counts: { techniques: 0 },
  };
}

describe('sharded card storage', () => {
  it('packs cards into shards under the 64 KB out-of-line threshold and reads each one back whole', async () => {
    const db = testDatabase();
    opened.push(db);
    // Multi-byte characters (2, 3 and 4 bytes in UTF-8) so that shard boundaries fall inside characters.
    const cards = [
      card('M1001', 'small'),
      card('M1002', '’é漢🙂 '.repeat(40_000)),
      ...Array.from({ length: 40 }, (_, i) =>
        card(`M2${String(i).padStart(3, '0')}`, `é${'x'.repeat(i * 97)}`),
      ),
      card('M1003', '漢'.repeat(30_000)),
    ];
    const writer = new CardShardWriter(3);
    const { index } = writer;
    const rows = [
      ...writer.add(cards.slice(0, 20).map((c) => ({ id: c.id, kind: c.kind, json: JSON.stringify(c) }))),
      ...writer.add([
        {
          id: 'M0000',
          kind: 'mitigation',
          json: null,
          redirect: { id: 'M0000', name: 'Old', status: 'revoked', replacedBy: 'M1001', notice: 'n' },
        },
      ]),
      ...writer.add(cards.slice(20).map((c) => ({ id: c.id, kind: c.kind, json: JSON.stringify(c) }))),
      ...writer.finish(),
    ];
    const totalBytes = cards.reduce((n, c) => n + new TextEncoder().encode(JSON.stringify(c)).length, 0);
    expect(rows.reduce((n, r) => n + r.data.length, 0)).toBe(totalBytes);
    expect(Math.max(...rows.map((r) => r.data.length))).toBeLessThanOrEqual(SHARD_BYTES);
    expect(rows.length).toBeLessThan(cards.length / 3);
    // A card that fits in a shard is never split: one keyed read.
    for (const c of cards) {
      const at = index.cards[c.id] as CardLocation;
      const size = new TextEncoder().encode(JSON.stringify(c)).length;
      if (size <= SHARD_BYTES) expect(at[1] + at[2]).toBeLessThanOrEqual(SHARD_BYTES);
      else expect(at[1]).toBe(0);
    }
    await db.table('cards').bulkAdd(rows);

    for (const c of cards) {
      const at = index.cards[c.id];
      if (!isCardLocation(at)) throw new Error(`no location for ${c.id}`);
      expect(await readShardedCard(db, 3, index, at)).toEqual(c);
    }
    expect(index.cards.M0000).toEqual({
      redirect: { id: 'M0000', name: 'Old', status: 'revoked', replacedBy: 'M1001', notice: 'n' },
    });
    // Another generation's shards are not read; a missing shard makes the card unreadable rather than corrupt.
    const big = index.cards.M1002 as CardLocation;
    expect(await readShardedCard(db, 4, index, big)).toBeNull();
    const shards = await readCardShards(db, 3, index, big);
    expect(shards.length).toBeGreaterThanOrEqual(5);
    expect(cardFromShards(shards.slice(0, -1), index, big)).toBeNull();
    expect(cardFromShards([...shards.slice(0, 2), ...shards.slice(3)], index, big)).toBeNull();
  });

  it('serves a neighbouring card from the last shards read, never across generations, and forgets old shards', async () => {
    const db = testDatabase();
    opened.push(db);
    const cards = Array.from({ length: 30 }, (_, i) =>
      card(`M1${String(i).padStart(3, '0')}`, 'x'.repeat(20_000)),
    );
    const writer = new CardShardWriter(5);
    const rows = [
      ...writer.add(cards.map((c) => ({ id: c.id, kind: c.kind, json: JSON.stringify(c) }))),
      ...writer.finish(),
    ];
    await db.table('cards').bulkAdd(rows);
    const at = (id: string) => writer.index.cards[id] as CardLocation;
    const cache = new ShardCache(2);
    expect(await readShardedCard(db, 5, writer.index, at('M1000'), cache)).toEqual(cards[0]);
    // M1001 shares M1000's shard: read from memory (the stored rows are gone).
    expect(at('M1001')[0]).toBe(at('M1000')[0]);
    await db.table('cards').clear();
    expect(await readShardedCard(db, 5, writer.index, at('M1001'), cache)).toEqual(cards[1]);
    expect(await readShardedCard(db, 6, writer.index, at('M1001'), cache)).toBeNull();
    // Two other shards later, the first one is forgotten.
    await db.table('cards').bulkAdd(rows);
    await readShardedCard(db, 5, writer.index, at('M1009'), cache);
    await readShardedCard(db, 5, writer.index, at('M1019'), cache);
    await db.table('cards').clear();
    expect(await readShardedCard(db, 5, writer.index, at('M1000'), cache)).toBeNull();
    expect(await readShardedCard(db, 5, writer.index, at('M1019'), cache)).toEqual(cards[19]);
  });
});
