import { afterEach, describe, expect, it } from 'vitest';
import type { TechniqueCard } from '../../../lib/knowledge/card.ts';
import type { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import {
  importKnowledge,
  recoverInterruptedImport,
  type SourceText,
  versionFromName,
} from '../../../lib/knowledge/import-knowledge.ts';
import { createKnowledgeQueries } from '../../../lib/knowledge/queries.ts';
import { MINI_D3FEND_TTL, makeMiniBundle, toStix21 } from '../../fixtures/knowledge/mini-bundle.ts';
import { fakeLocks, reopen, testDatabase } from './test-db.ts';

const attackSource = (bundle: unknown = makeMiniBundle(), origin = 'file:mini.json'): SourceText => ({
  kind: 'attack',
  origin,
  text: JSON.stringify(bundle),
});
const d3fendSource = (text = MINI_D3FEND_TTL): SourceText => ({
  kind: 'd3fend',
  origin: 'file:mini.ttl',
  text,
});

const opened: KnowledgeDatabase[] = [];
function db(): KnowledgeDatabase {
  const d = testDatabase();
  opened.push(d);
  return d;
}
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

/** Import the mini knowledge and return the queries over it. */
async function seeded(database: KnowledgeDatabase) {
  const result = await importKnowledge(database, [attackSource(), d3fendSource()], { locks: fakeLocks() });
  expect(result.ok, result.ok ? '' : result.error).toBe(true);
  return createKnowledgeQueries(database);
}

/** What an analyst sees of the knowledge in use: the LSASS card's name and the data's row counts. */
async function snapshotOf(database: KnowledgeDatabase) {
  const queries = createKnowledgeQueries(database);
  const card = (await queries.card('T1003.001')) as TechniqueCard | null;
  return {
    name: card?.name ?? null,
    countermeasures: card?.counts.countermeasures ?? null,
    generations: await database.generations.count(),
    cards: await database.cards.count(),
    ids: await database.ids.count(),
  };
}

describe('importKnowledge', () => {
  it('imports ATT&CK + D3FEND and answers card, lookup, search and status queries', async () => {
    const database = db();
    const queries = await seeded(database);

    const card = (await queries.card('t1003.001')) as TechniqueCard;
    expect(card.kind).toBe('technique');
    expect(card.name).toBe('LSASS Memory');
    expect(card.tactics.map((t) => t.id)).toEqual(['TA0006']);
    expect(card.parent?.id).toBe('T1003');
    expect(card.mitigations.map((m) => [m.id, m.description])).toEqual([['M1040', 'Block LSASS access.']]);
    expect(card.groups.map((g) => g.id)).toEqual(['G0016']);
    expect(card.software.map((s) => [s.id, s.softwareType])).toEqual([['S0002', 'tool']]);
    expect(card.detectionStrategies[0]?.analytics[0]?.logSources[0]).toEqual({
      name: 'WinEventLog:Sysmon',
      channel: 'EventCode=10',
      dataComponent: {
        id: 'DC0035',
        name: 'Process Access',
        url: 'https://attack.mitre.org/datacomponents/DC0035',
      },
    });
    expect(card.countermeasures.map((g) => [g.tactic, g.countermeasures.map((c) => c.id)])).toEqual([
      ['Detect', ['D3-PSA']],
      ['Evict', ['D3-PT']],
    ]);
    expect(card.countermeasures[0]?.countermeasures[0]?.paths[0]?.text).toBe(
      'Process Spawn Analysis analyzes Process; T1003.001 accesses Authentication Service, a kind of Process',
    );

    const revoked = await queries.card('T1086');
    expect(revoked?.id).toBe('T1059.001');
    expect(revoked?.resolvedFrom?.notice).toBe(
      'T1086 (PowerShell) was revoked; it is now T1059.001 (PowerShell).',
    );

    expect(await queries.lookup(['T1003.001', 'T1086', 'T9999', 'D3-PSA', 'S0001'])).toEqual([
      { id: 'T1003.001', name: 'LSASS Memory', kind: 'technique', status: 'known' },
      { id: 'T1086', name: 'PowerShell', kind: 'technique', status: 'revoked', replacedBy: 'T1059.001' },
      { id: 'T9999', status: 'unknown' },
      { id: 'D3-PSA', name: 'Process Spawn Analysis', kind: 'd3fend', status: 'known' },
      { id: 'S0001', name: 'Old Malware', kind: 'software', status: 'revoked' },
    ]);
    expect((await queries.search('powershell'))[0]?.id).toBe('T1059.001');
    expect((await queries.search('cozy bear'))[0]?.id).toBe('G0016');
    expect(await queries.knownIds()).toEqual(
      expect.arrayContaining(['T1003', 'TA0006', 'M1040', 'C0024', 'D3-PT']),
    );

    const status = await queries.status();
    expect(status.state).toBe('ready');
    expect(status.lastError).toBeNull();
    expect(status.progress).toBeNull();
    expect(status.active?.sources.map((s) => [s.kind, s.origin, s.version])).toEqual([
      ['attack', 'file:mini.json', null],
      ['d3fend', 'file:mini.ttl', '0.0-test'],
    ]);
    expect(status.active?.counts).toMatchObject({
      techniques: 3,
      subtechniques: 2,
      groups: 1,
      d3fendTechniques: 4,
    });
  });

  it('accepts the STIX 2.1 form of the same bundle and records its ATT&CK version', async () => {
    const database = db();
    const result = await importKnowledge(database, [attackSource(toStix21(makeMiniBundle(), '18.1'))], {
      locks: fakeLocks(),
    });
    expect(result.ok).toBe(true);
    const queries = createKnowledgeQueries(database);
    expect((await queries.status()).active?.sources[0]).toMatchObject({
      version: '18.1',
      specVersion: '2.1',
    });
    expect((await queries.card('T1003.001'))?.name).toBe('LSASS Memory');
  });

  it("takes a STIX 2.0 bundle's ATT&CK release from its published file name", async () => {
    const database = db();
    await importKnowledge(
      database,
      [attackSource(makeMiniBundle(), 'https://h.test/enterprise-attack-18.1.json.gz')],
      {
        locks: fakeLocks(),
      },
    );
    expect((await createKnowledgeQueries(database).status()).active?.sources[0]).toMatchObject({
      version: '18.1',
      specVersion: '2.0',
    });
    expect(
      versionFromName('https://raw.githubusercontent.com/x/enterprise-attack/enterprise-attack.json'),
    ).toBeNull();
    expect(versionFromName('file:enterprise-attack-v17.0.json?x=1')).toBe('17.0');
  });

  it('swaps in a new import and garbage-collects the old generation', async () => {
    const database = db();
    await seeded(database);
    const before = await snapshotOf(database);
    const result = await importKnowledge(
      database,
      [attackSource(makeMiniBundle({ lsassName: 'LSASS Memory (v2)' })), d3fendSource()],
      { locks: fakeLocks() },
    );
    expect(result.ok).toBe(true);
    const after = await snapshotOf(database);
    expect(after.name).toBe('LSASS Memory (v2)');
    expect(after).toMatchObject({ generations: 1, cards: before.cards, ids: before.ids });
  });

  it('keeps the D3FEND of the knowledge in use when an import brings only ATT&CK', async () => {
    const database = db();
    await seeded(database);
    const result = await importKnowledge(database, [attackSource(makeMiniBundle({ lsassName: 'Renamed' }))], {
      locks: fakeLocks(),
    });
    expect(result.ok).toBe(true);
    const after = await snapshotOf(database);
    expect(after).toMatchObject({ name: 'Renamed', countermeasures: 2 });
    expect(result.ok && result.value.active.sources.map((s) => s.origin)).toEqual([
      'file:mini.json',
      'file:mini.ttl',
    ]);
  });

  const failures: [string, () => SourceText[], RegExp][] = [
    [
      'not JSON',
      () => [{ kind: 'attack', origin: 'file:page.html', text: '<html>oops</html>' }],
      /page\.html is not JSON/,
    ],
    [
      'JSON that is not STIX',
      () => [attackSource({ hello: 'world' })],
      /not a STIX bundle: no 'objects' array/,
    ],
    [
      'a STIX bundle with a broken technique',
      () => {
        const bundle = makeMiniBundle();
        const technique = bundle.objects.find((o) => (o as { type: string }).type === 'attack-pattern') as {
          name: unknown;
        };
        technique.name = 42;
        return [attackSource(bundle)];
      },
      /attack-pattern--00000000-0000-4000-8000-000000000100\): 'name' expected string/,
    ],
    [
      'a STIX bundle without techniques',
      () => [attackSource({ type: 'bundle', objects: [] })],
      /holds no techniques/,
    ],
    [
      'a Turtle syntax error',
      () => [
        attackSource(),
        d3fendSource(`${MINI_D3FEND_TTL}\n:Broken a owl:Class ; rdfs:label "unterminated .\n`),
      ],
      /not valid Turtle/,
    ],
  ];
  for (const [what, sources, message] of failures) {
    it(`leaves the previous knowledge complete and in use on ${what}`, async () => {
      const database = db();
      await seeded(database);
      const before = await snapshotOf(database);
      const result = await importKnowledge(database, sources(), { locks: fakeLocks() });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(message);
      expect(!result.ok && result.error).toMatch(/previous knowledge is still in use/);
      expect(await snapshotOf(database)).toEqual(before);
      const status = await createKnowledgeQueries(database).status();
      expect(status.state).toBe('ready');
      expect(status.lastError?.message).toMatch(message);
    });
  }

  it('leaves the previous knowledge in use when cancelled half-way through writing', async () => {
    const database = db();
    await seeded(database);
    const before = await snapshotOf(database);
    const controller = new AbortController();
    let midway: Awaited<ReturnType<typeof snapshotOf>> | null = null;
    const result = await importKnowledge(
      database,
      [attackSource(makeMiniBundle({ lsassName: 'Never' })), d3fendSource()],
      {
        locks: fakeLocks(),
        chunkSize: 5,
        afterChunk: async (written) => {
          if (written >= 10 && !midway) {
            midway = await snapshotOf(database);
            controller.abort();
          }
        },
        signal: controller.signal,
      },
    );
    expect(result).toEqual({ ok: false, error: 'Import cancelled; the previous knowledge is still in use.' });
    // While the new generation was being written, queries still saw the old one.
    expect(midway).toMatchObject({ name: 'LSASS Memory', countermeasures: 2, generations: 2 });
    expect(await snapshotOf(database)).toEqual(before);
    expect((await createKnowledgeQueries(database).status()).lastError?.message).toBe(
      'Import cancelled; the previous knowledge is still in use.',
    );
  });

  it('recovers from a worker killed mid-import: old knowledge in use, leftovers deleted, the analyst told', async () => {
    const database = db();
    await seeded(database);
    const before = await snapshotOf(database);
    // The import stops dead after a few chunks and never resumes, as when Chrome stops the service worker.
    let stopped!: () => void;
    const stoppedHere = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    void importKnowledge(database, [attackSource(makeMiniBundle({ lsassName: 'Never' })), d3fendSource()], {
      locks: fakeLocks(),
      chunkSize: 5,
      afterChunk: (written) => {
        if (written < 10) return;
        stopped();
        return new Promise(() => {});
      },
    });
    await stoppedHere;
    expect((await snapshotOf(database)).generations).toBe(2);

    // A new worker starts: same database, fresh locks.
    const restarted = reopen(database);
    opened.push(restarted);
    expect((await snapshotOf(restarted)).name).toBe('LSASS Memory');
    expect(await recoverInterruptedImport(restarted, fakeLocks())).toBe(true);
    expect(await snapshotOf(restarted)).toEqual(before);
    const status = await createKnowledgeQueries(restarted).status();
    expect(status.state).toBe('ready');
    expect(status.progress).toBeNull();
    expect(status.lastError?.message).toMatch(/interrupted.*previous knowledge is still in use/);
    // Nothing to recover the second time.
    expect(await recoverInterruptedImport(restarted, fakeLocks())).toBe(false);
  });

  it('refuses a second import while one is running', async () => {
    const database = db();
    const locks = fakeLocks();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = importKnowledge(database, [attackSource()], {
      locks,
      afterChunk: async () => {
        entered();
        await gate;
      },
    });
    await inside;
    const second = await importKnowledge(database, [attackSource()], { locks });
    expect(second).toEqual({
      ok: false,
      error: 'Another knowledge import is already running; wait for it to finish.',
    });
    release();
    expect((await first).ok).toBe(true);
  });

  it('reports an empty knowledge base before the first import', async () => {
    const status = await createKnowledgeQueries(db()).status();
    expect(status).toEqual({ state: 'empty', active: null, progress: null, lastError: null });
    expect(await createKnowledgeQueries(db()).lookup(['T1059'])).toEqual([
      { id: 'T1059', status: 'unknown' },
    ]);
  });
});
