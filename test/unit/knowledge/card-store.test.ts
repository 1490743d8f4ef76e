import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../lib/knowledge/card.ts';
import {
  cardFromRows,
  PART_BYTES,
  readCardRows,
  toStoredCardRows,
} from '../../../lib/knowledge/card-store.ts';
import type { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import { testDatabase } from './test-db.ts';

const opened: KnowledgeDatabase[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

/** A card big enough to need several parts, with multi-byte characters straddling part boundaries. */
function bigCard(id: string): Card {
  return {
    kind: 'mitigation',
    id,
    name: `Big ${id}`,
    url: '',
    status: 'current',
    description: '’é漢🙂 '.repeat(40_000),
    version: '1.0',
    modified: '',
    domains: [],
    techniques: [],
    counts: { techniques: 0 },
  };
}

describe('card storage', () => {
  it('splits a large card into parts under the 64 KB out-of-line threshold and reads it back whole', async () => {
    const db = testDatabase();
    opened.push(db);
    const big = bigCard('T1003');
    const small = { ...bigCard('T1003.001'), description: 'small' };
    const rows = toStoredCardRows(
      [
        { id: 'T1003', kind: 'mitigation', json: JSON.stringify(big) },
        { id: 'T1003.001', kind: 'mitigation', json: JSON.stringify(small) },
      ],
      7,
    );
    const parts = rows.filter((r) => r.id.startsWith('T1003\u0000') || r.id === 'T1003');
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...rows.map((r) => r.data?.length ?? 0))).toBeLessThanOrEqual(PART_BYTES);
    await db.cards.bulkAdd(rows);

    const read = await readCardRows(db, 7, 'T1003');
    expect(read.length).toBe(parts.length);
    expect(cardFromRows(read)).toEqual(big);
    expect(cardFromRows(await readCardRows(db, 7, 'T1003.001'))).toEqual(small);
    expect(await readCardRows(db, 8, 'T1003')).toEqual([]);
    // A missing part makes the card unreadable rather than corrupt.
    expect(cardFromRows(read.filter((r) => r.part !== 2))).toBeNull();
  });
});
