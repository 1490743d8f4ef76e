import { afterEach, describe, expect, it } from 'vitest';
import {
  createKnowledgeBackground,
  type KnowledgeBackgroundOptions,
} from '../../../lib/knowledge/background.ts';
import type { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import type { FetchLike, SourceSpec } from '../../../lib/knowledge/update-knowledge.ts';
import { MINI_D3FEND_TTL, makeMiniBundle } from '../../fixtures/knowledge/mini-bundle.ts';
import { fakeLocks, testDatabase } from './test-db.ts';

const specs: SourceSpec[] = [
  { kind: 'attack', url: 'https://example.test/attack.json', label: 'ATT&CK Enterprise' },
  { kind: 'd3fend', url: 'https://example.test/d3fend.ttl', label: 'D3FEND' },
];
const bodies: Record<string, string> = {
  'https://example.test/attack.json': JSON.stringify(makeMiniBundle()),
  'https://example.test/d3fend.ttl': MINI_D3FEND_TTL,
};

const opened: KnowledgeDatabase[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function setup(overrides: Partial<KnowledgeBackgroundOptions> = {}) {
  const db = testDatabase();
  opened.push(db);
  const requests: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    requests.push(url);
    if (new Headers(init?.headers).get('if-none-match') === '"v1"')
      return new Response(null, { status: 304 });
    return new Response(bodies[url] ?? '', { status: bodies[url] ? 200 : 404, headers: { etag: '"v1"' } });
  };
  const background = createKnowledgeBackground({
    db,
    fetch,
    sources: async () => specs,
    autoUpdate: async () => true,
    locks: fakeLocks(),
    ...overrides,
  });
  return { db, background, requests };
}

describe('knowledge background', () => {
  it('downloads on first start, then answers kb.lookup in the protocol shape and stores the hints model', async () => {
    const { background } = setup();
    expect(await background.handlers['kb.lookup']({ ids: ['T1059'] })).toEqual({
      ready: false,
      entries: { T1059: { status: 'unknown' } },
    });
    await background.onStartup();
    const done = await background.running();
    expect(done?.ok).toBe(true);

    expect(await background.handlers['kb.lookup']({ ids: ['T1086', 't1003.001', 'T9999', 'D3-PT'] })).toEqual(
      {
        ready: true,
        entries: {
          T1086: {
            status: 'revoked',
            name: 'PowerShell',
            replacedBy: { id: 'T1059.001', name: 'PowerShell' },
          },
          'T1003.001': { status: 'current', name: 'LSASS Memory' },
          T9999: { status: 'unknown' },
          'D3-PT': { status: 'current', name: 'Process Termination' },
        },
      },
    );
    const hints = await background.queries.blob<{ format: string; techniques: string[] }>('hints');
    expect(hints?.format).toBe('riposte-hints');
    expect(hints?.techniques).toContain('T1003.001');
    expect((await background.handlers['kb.status']()).state).toBe('ready');
  });

  it('does not download on start when auto-update is off (air-gapped)', async () => {
    const { background, requests } = setup({ autoUpdate: async () => false });
    await background.onStartup();
    expect(background.running()).toBeNull();
    expect(requests).toEqual([]);
    expect(await background.weeklyCheck()).toBeNull();
  });

  it('kb.update with wait reports the outcome; the weekly check finds nothing changed', async () => {
    const { background, requests } = setup();
    expect(await background.handlers['kb.update']({ wait: true })).toEqual({
      started: true,
      outcome: { ok: true, updated: true },
    });
    requests.length = 0;
    const weekly = await background.weeklyCheck();
    expect(weekly).toMatchObject({ ok: true, value: { updated: false, reason: 'unchanged' } });
    expect(requests).toEqual(specs.map((s) => s.url));
  });

  it('refuses a second update while one runs, and kb.cancel stops it with the old knowledge kept', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowFetch: FetchLike = async (url, init) => {
      await gate;
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      return new Response(bodies[url] ?? '', { status: 200 });
    };
    const { background } = setup({ fetch: slowFetch });
    const first = await background.handlers['kb.update']({});
    expect(first).toEqual({ started: true });
    expect(await background.handlers['kb.update']({})).toEqual({
      started: false,
      error: 'An update is already running.',
    });
    const cancelling = background.handlers['kb.cancel']();
    release();
    expect(await cancelling).toEqual({ cancelled: true });
    const status = await background.handlers['kb.status']();
    expect(status.state).toBe('empty');
    expect(status.lastError?.message).toBe('Import cancelled; the previous knowledge is still in use.');
    expect(background.running()).toBeNull();
  });
});
