import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { TechniqueCard } from '../../../lib/knowledge/card.ts';
import type { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import { createKnowledgeQueries } from '../../../lib/knowledge/queries.ts';
import {
  downloadSource,
  type FetchLike,
  importLocalFiles,
  type SourceSpec,
  updateKnowledge,
} from '../../../lib/knowledge/update-knowledge.ts';
import { MINI_D3FEND_TTL, makeMiniBundle } from '../../fixtures/knowledge/mini-bundle.ts';
import { fakeLocks, testDatabase } from './test-db.ts';

const ATTACK_URL = 'https://example.test/enterprise-attack.json';
const D3FEND_URL = 'https://example.test/d3fend.ttl';
const specs: SourceSpec[] = [
  { kind: 'attack', url: ATTACK_URL, label: 'ATT&CK Enterprise' },
  { kind: 'd3fend', url: D3FEND_URL, label: 'D3FEND' },
];

interface Served {
  body: string | Uint8Array;
  etag: string;
  status?: number;
}

/** A tiny HTTP server in a function: honours If-None-Match, records every request. */
function fakeServer(files: Record<string, Served>) {
  const requests: { url: string; ifNoneMatch: string | null }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = new Headers(init?.headers);
    requests.push({ url, ifNoneMatch: headers.get('if-none-match') });
    const file = files[url];
    if (!file) return new Response('not found', { status: 404, statusText: 'Not Found' });
    if (file.status)
      return new Response('server error', { status: file.status, statusText: 'Internal Server Error' });
    if (headers.get('if-none-match') === file.etag) return new Response(null, { status: 304 });
    const body = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
    return new Response(body as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: { etag: file.etag, 'content-length': String(body.length) },
    });
  };
  return { fetch, requests, files };
}

const opened: KnowledgeDatabase[] = [];
function db(): KnowledgeDatabase {
  const d = testDatabase();
  opened.push(d);
  return d;
}
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

async function lsassName(database: KnowledgeDatabase): Promise<string | null> {
  return ((await createKnowledgeQueries(database).card('T1003.001')) as TechniqueCard | null)?.name ?? null;
}

describe('updateKnowledge', () => {
  it('downloads the configured sources on first run, with progress, and records their validators', async () => {
    const database = db();
    const server = fakeServer({
      [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' },
      [D3FEND_URL]: { body: MINI_D3FEND_TTL, etag: '"d1"' },
    });
    const phases = new Set<string>();
    const result = await updateKnowledge(database, server.fetch, specs, {
      locks: fakeLocks(),
      onProgress: (p) => phases.add(p.phase),
    });
    expect(result.ok && result.value.updated).toBe(true);
    expect([...phases]).toEqual(['download', 'parse', 'build', 'write', 'commit', 'done']);
    expect(server.requests.map((r) => [r.url, r.ifNoneMatch])).toEqual([
      [ATTACK_URL, null],
      [D3FEND_URL, null],
    ]);
    const status = await createKnowledgeQueries(database).status();
    expect(status.active?.sources.map((s) => [s.origin, s.etag])).toEqual([
      [ATTACK_URL, '"a1"'],
      [D3FEND_URL, '"d1"'],
    ]);
    expect(await lsassName(database)).toBe('LSASS Memory');
  });

  it('accepts gzip-compressed sources', async () => {
    const database = db();
    const server = fakeServer({
      [ATTACK_URL]: { body: gzipSync(JSON.stringify(makeMiniBundle())), etag: '"a1"' },
      [D3FEND_URL]: { body: gzipSync(MINI_D3FEND_TTL), etag: '"d1"' },
    });
    const result = await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    expect(result.ok).toBe(true);
    expect(await lsassName(database)).toBe('LSASS Memory');
  });

  it('the weekly check re-imports nothing when no source changed', async () => {
    const database = db();
    const server = fakeServer({
      [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' },
      [D3FEND_URL]: { body: MINI_D3FEND_TTL, etag: '"d1"' },
    });
    await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    const generation = (await createKnowledgeQueries(database).status()).active?.generation;
    server.requests.length = 0;
    const result = await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    expect(result).toMatchObject({ ok: true, value: { updated: false, reason: 'unchanged' } });
    expect(server.requests.map((r) => r.ifNoneMatch)).toEqual(['"a1"', '"d1"']);
    expect((await createKnowledgeQueries(database).status()).active?.generation).toBe(generation);
  });

  it('re-imports a changed ATT&CK bundle and keeps the unchanged D3FEND without downloading it again', async () => {
    const database = db();
    const server = fakeServer({
      [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' },
      [D3FEND_URL]: { body: MINI_D3FEND_TTL, etag: '"d1"' },
    });
    await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    server.files[ATTACK_URL] = {
      body: JSON.stringify(makeMiniBundle({ lsassName: 'LSASS v2' })),
      etag: '"a2"',
    };
    server.requests.length = 0;
    const result = await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    expect(result.ok && result.value.updated).toBe(true);
    expect(server.requests.map((r) => [r.url, r.ifNoneMatch])).toEqual([
      [ATTACK_URL, '"a1"'],
      [D3FEND_URL, '"d1"'],
    ]);
    expect(await lsassName(database)).toBe('LSASS v2');
    const card = (await createKnowledgeQueries(database).card('T1003.001')) as TechniqueCard;
    expect(card.counts.countermeasures).toBe(2);
    const sources = (await createKnowledgeQueries(database).status()).active?.sources;
    expect(sources?.map((s) => [s.origin, s.etag])).toEqual([
      [ATTACK_URL, '"a2"'],
      [D3FEND_URL, '"d1"'],
    ]);
  });

  it('a changed D3FEND needs the ATT&CK bundle again: it is downloaded in full', async () => {
    const database = db();
    const server = fakeServer({
      [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' },
      [D3FEND_URL]: { body: MINI_D3FEND_TTL, etag: '"d1"' },
    });
    await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    server.files[D3FEND_URL] = { body: MINI_D3FEND_TTL.replace('"0.0-test"', '"0.1-test"'), etag: '"d2"' };
    server.requests.length = 0;
    const result = await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
    expect(result.ok && result.value.updated).toBe(true);
    expect(server.requests.map((r) => [r.url, r.ifNoneMatch])).toEqual([
      [ATTACK_URL, '"a1"'],
      [D3FEND_URL, '"d1"'],
      [ATTACK_URL, null],
    ]);
    const sources = (await createKnowledgeQueries(database).status()).active?.sources;
    expect(sources?.find((s) => s.kind === 'd3fend')?.version).toBe('0.1-test');
  });

  it('"Update now" re-imports even when nothing changed', async () => {
    const database = db();
    const server = fakeServer({ [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' } });
    const attackOnly = specs.slice(0, 1);
    await updateKnowledge(database, server.fetch, attackOnly, { locks: fakeLocks() });
    const result = await updateKnowledge(database, server.fetch, attackOnly, {
      locks: fakeLocks(),
      force: true,
    });
    expect(result.ok && result.value.updated).toBe(true);
  });

  const failures: [string, (server: ReturnType<typeof fakeServer>) => FetchLike, RegExp][] = [
    [
      'a network error',
      () => async () => {
        throw new TypeError('Failed to fetch');
      },
      /could not download ATT&CK Enterprise from https:\/\/example\.test\/enterprise-attack\.json \(Failed to fetch\)/,
    ],
    [
      'an HTTP error',
      (server) => {
        server.files[ATTACK_URL] = { body: '', etag: '"x"', status: 500 };
        return server.fetch;
      },
      /enterprise-attack\.json answered HTTP 500 Internal Server Error/,
    ],
    [
      'a page that is not JSON (a captive portal)',
      (server) => {
        server.files[ATTACK_URL] = { body: '<!doctype html><title>Log in</title>', etag: '"x"' };
        return server.fetch;
      },
      /enterprise-attack\.json is not JSON/,
    ],
    [
      'JSON that is not STIX',
      (server) => {
        server.files[ATTACK_URL] = { body: '{"message":"rate limited"}', etag: '"x"' };
        return server.fetch;
      },
      /not a STIX bundle: no 'objects' array/,
    ],
    [
      'a Turtle syntax error',
      (server) => {
        server.files[D3FEND_URL] = { body: `${MINI_D3FEND_TTL}\n:Oops a :Thing ;;; "`, etag: '"x"' };
        return server.fetch;
      },
      /d3fend\.ttl: the D3FEND ontology is not valid Turtle/,
    ],
  ];
  for (const [what, breakIt, message] of failures) {
    it(`keeps the previous knowledge on ${what}`, async () => {
      const database = db();
      const server = fakeServer({
        [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' },
        [D3FEND_URL]: { body: MINI_D3FEND_TTL, etag: '"d1"' },
      });
      await updateKnowledge(database, server.fetch, specs, { locks: fakeLocks() });
      const before = await createKnowledgeQueries(database).status();
      const result = await updateKnowledge(database, breakIt(server), specs, {
        locks: fakeLocks(),
        force: true,
      });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(message);
      const after = await createKnowledgeQueries(database).status();
      expect(after.active).toEqual(before.active);
      expect(after.progress).toBeNull();
      expect(after.lastError?.message).toMatch(message);
      expect(after.lastError?.message).toMatch(/previous knowledge is still in use/);
      expect(await lsassName(database)).toBe('LSASS Memory');
      expect(await database.generations.count()).toBe(1);
    });
  }

  it('keeps the previous knowledge when cancelled during the download', async () => {
    const database = db();
    const server = fakeServer({ [ATTACK_URL]: { body: JSON.stringify(makeMiniBundle()), etag: '"a1"' } });
    await updateKnowledge(database, server.fetch, specs.slice(0, 1), { locks: fakeLocks() });
    const controller = new AbortController();
    const slow: FetchLike = async (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        controller.abort();
      });
    const result = await updateKnowledge(database, slow, specs.slice(0, 1), {
      locks: fakeLocks(),
      force: true,
      signal: controller.signal,
    });
    expect(result).toEqual({ ok: false, error: 'Import cancelled; the previous knowledge is still in use.' });
    expect(await lsassName(database)).toBe('LSASS Memory');
  });
});

describe('importLocalFiles', () => {
  it('imports dropped files, whatever their names, recognising ATT&CK and D3FEND by content', async () => {
    const database = db();
    const result = await importLocalFiles(
      database,
      [
        { name: 'ontology.bin', data: new Blob([gzipSync(MINI_D3FEND_TTL)]) },
        { name: 'enterprise.json.gz', data: gzipSync(JSON.stringify(makeMiniBundle())) },
      ],
      { locks: fakeLocks() },
    );
    expect(result.ok).toBe(true);
    const status = await createKnowledgeQueries(database).status();
    expect(status.active?.sources.map((s) => s.origin)).toEqual([
      'file:enterprise.json.gz',
      'file:ontology.bin',
    ]);
    expect(
      ((await createKnowledgeQueries(database).card('T1003.001')) as TechniqueCard).counts.countermeasures,
    ).toBe(2);
  });

  it('says which file is neither ATT&CK nor D3FEND, and keeps the knowledge in use', async () => {
    const database = db();
    await importLocalFiles(
      database,
      [{ name: 'a.json', data: new TextEncoder().encode(JSON.stringify(makeMiniBundle())) }],
      {
        locks: fakeLocks(),
      },
    );
    const result = await importLocalFiles(
      database,
      [{ name: 'notes.txt', data: new TextEncoder().encode('hello') }],
      {
        locks: fakeLocks(),
      },
    );
    expect(result).toEqual({
      ok: false,
      error:
        'Import failed: notes.txt is neither an ATT&CK STIX bundle (JSON) nor the D3FEND ontology (Turtle). The previous knowledge is still in use.',
    });
    expect(await lsassName(database)).toBe('LSASS Memory');
  });

  it('decodes a download that arrives in small chunks, with characters split across chunks, as the whole text', async () => {
    const text = JSON.stringify({ type: 'bundle', note: '’é漢🙂 '.repeat(500) });
    const bytes = new TextEncoder().encode(text);
    const chunked: FetchLike = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
            controller.close();
          },
        }),
        { status: 200 },
      );
    const result = await downloadSource(chunked, specs[0] as SourceSpec);
    expect(result.ok && !result.value.unchanged && result.value.text).toBe(text);
  });
});
