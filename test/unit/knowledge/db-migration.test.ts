import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { toStoredCardRows } from '../../../lib/knowledge/card-store.ts';
import { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import { buildKnowledgeIndex } from '../../../lib/knowledge/knowledge-index.ts';
import { createKnowledgeQueries } from '../../../lib/knowledge/queries.ts';
import { buildSnapshot } from '../../../lib/knowledge/snapshot.ts';
import { parseStixBundle } from '../../../lib/knowledge/stix.ts';
import { makeMiniBundle } from '../../fixtures/knowledge/mini-bundle.ts';

describe('riposte-knowledge schema migrations', () => {
  it('v1 -> v2 derives the id table from the cards of every generation; cards, lookups and search work', async () => {
    const name = `riposte-knowledge-migration-${Math.random().toString(36).slice(2)}`;
    const parsed = parseStixBundle(makeMiniBundle());
    if (!parsed.ok) throw new Error(parsed.error);
    const snapshot = buildSnapshot(buildKnowledgeIndex(parsed.value, null));

    // Seed a database exactly as version 1 of the schema left it.
    const v1 = new Dexie(name, { indexedDB, IDBKeyRange });
    v1.version(1).stores({ meta: 'key', generations: '++id, state', cards: '[generation+id], generation' });
    await v1.open();
    const generation = (await v1
      .table('generations')
      .add({ state: 'complete', startedAt: '2025-01-01' })) as number;
    await v1.table('cards').bulkAdd(toStoredCardRows(snapshot.cards, generation));
    await v1.table('meta').put({
      key: 'active',
      value: { generation, importedAt: '2025-01-01', sources: [], counts: snapshot.counts, importMs: 1 },
    });
    v1.close();

    const v2 = new KnowledgeDatabase(name, { indexedDB, IDBKeyRange });
    await v2.open();
    expect(v2.verno).toBe(2);
    const ids = await v2.ids.where('generation').equals(generation).toArray();
    expect(ids.map((r) => r.id).sort()).toEqual(snapshot.ids.map((r) => r.id).sort());
    expect(ids.find((r) => r.id === 'G0016')).toMatchObject({ name: 'APT29', aliases: ['Cozy Bear'] });
    expect(ids.find((r) => r.id === 'T1059.001')).toMatchObject({
      parentName: 'Command and Scripting Interpreter',
    });

    const queries = createKnowledgeQueries(v2);
    expect(await queries.lookup(['T1086', 'T1003.001', 'T9999'])).toEqual([
      { id: 'T1086', name: 'PowerShell', kind: 'technique', status: 'revoked', replacedBy: 'T1059.001' },
      { id: 'T1003.001', name: 'LSASS Memory', kind: 'technique', status: 'known' },
      { id: 'T9999', status: 'unknown' },
    ]);
    expect((await queries.card('T1086'))?.id).toBe('T1059.001');
    expect((await queries.search('cozy bear'))[0]?.id).toBe('G0016');
    expect(await v2.blobs.count()).toBe(0);
    v2.close();
  });
});
