import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sentinelone } from '../../../../lib/actions/connectors/sentinelone';
import { ACTION_KINDS, type ActionKind, type PollHandle } from '../../../../lib/actions/types';
import { type SentinelOneEmulator, startSentinelOneEmulator } from '../../../emulators/sentinelone';
import { actionTest, instance, testExecutor } from '../harness';

let emu: SentinelOneEmulator;
const inst = (extra: Record<string, unknown> = {}) =>
  instance('sentinelone', { baseUrl: emu.url, apiToken: emu.apiToken, ...extra }, [
    ...ACTION_KINDS,
  ] as ActionKind[]);
const input = (type: string, value: string) => ({
  target: { type: type as 'sha1', value },
  note: 'dropper',
  operationId: 'op-s1',
});
const SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';

beforeEach(async () => {
  emu = await startSentinelOneEmulator({ agents: ['FIN-LAPTOP-07'] });
});
afterEach(() => emu.close());

describe('SentinelOne connector', () => {
  actionTest(
    'block_hash',
    'adds one blocklist entry per configured OS type, with the ApiToken header',
    async () => {
      const { executor } = testExecutor();
      const result = await executor.run(
        sentinelone,
        inst({ osTypes: ['windows', 'macos'] }),
        'block_hash',
        input('sha1', SHA1.toUpperCase()),
      );
      expect(result.status).toBe('done');
      expect([...emu.restrictions.values()].map((r) => [r.value, r.osType, r.type])).toEqual([
        [SHA1, 'windows', 'black_hash'],
        [SHA1, 'macos', 'black_hash'],
      ]);
      expect(emu.requestsTo('POST /web/api/v2.1/restrictions')[0]?.headers.authorization).toBe(
        `ApiToken ${emu.apiToken}`,
      );
      expect([...emu.restrictions.values()][0]?.scope).toEqual({ tenant: true });
    },
  );

  actionTest(
    'block_hash',
    'a retry after a 500 that landed finds the entry instead of adding it twice',
    async () => {
      const { executor } = testExecutor();
      emu.setFault({ match: 'POST /web/api/v2.1/restrictions', status: 500, after: true });
      const result = await executor.run(
        sentinelone,
        inst({ osTypes: ['linux'], siteIds: ['225494730938493804'] }),
        'block_hash',
        input('sha256', 'a'.repeat(64)),
      );
      expect(result.status).toBe('done');
      expect(emu.restrictions.size).toBe(1);
      expect([...emu.restrictions.values()][0]?.scope).toEqual({ siteIds: ['225494730938493804'] });
    },
  );

  actionTest('unblock_hash', 'removes the entries of every OS type', async () => {
    const { executor } = testExecutor();
    await executor.run(sentinelone, inst(), 'block_hash', input('sha1', SHA1));
    expect(emu.restrictions.size).toBe(3);
    const result = await executor.run(sentinelone, inst(), 'unblock_hash', input('sha1', SHA1));
    expect(result).toMatchObject({ status: 'done' });
    expect(emu.restrictions.size).toBe(0);
  });

  actionTest(
    'isolate_host',
    'disconnects the agent found by computer name and polls to disconnected',
    async () => {
      const { executor } = testExecutor();
      const started = await executor.run(
        sentinelone,
        inst(),
        'isolate_host',
        input('hostname', 'fin-laptop-07'),
      );
      expect(started.status).toBe('pending');
      expect(emu.requestsTo('POST /web/api/v2.1/agents/actions/disconnect')[0]?.json).toEqual({
        filter: { ids: [emu.agents[0]?.id] },
        data: {},
      });
      const handle = started.poll as PollHandle;
      expect((await executor.poll(sentinelone, inst(), 'isolate_host', handle)).status).toBe('pending');
      expect(await executor.poll(sentinelone, inst(), 'isolate_host', handle)).toMatchObject({
        status: 'done',
        message: 'fin-laptop-07 is disconnected from the network (SentinelOne).',
      });
    },
  );

  actionTest('release_host', 'reconnects the agent', async () => {
    const { executor } = testExecutor();
    const agent = emu.agents[0];
    if (agent) agent.networkStatus = 'disconnected';
    const started = await executor.run(
      sentinelone,
      inst(),
      'release_host',
      input('hostname', 'FIN-LAPTOP-07'),
    );
    await executor.poll(sentinelone, inst(), 'release_host', started.poll as PollHandle);
    expect(
      (await executor.poll(sentinelone, inst(), 'release_host', started.poll as PollHandle)).status,
    ).toBe('done');
    expect(emu.agents[0]?.networkStatus).toBe('connected');
  });

  it('a wrong token is explained', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      sentinelone,
      inst({ apiToken: 'nope-token' }),
      'block_hash',
      input('sha1', SHA1),
    );
    expect(result.message).toBe('SentinelOne refused the API key (401) — check the key in the options page.');
  });

  it('an unknown agent is a plain failure with no action sent', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(sentinelone, inst(), 'isolate_host', input('hostname', 'ghost'));
    expect(result.message).toMatch(/no agent named ghost/);
    expect(emu.requestsTo('POST /web/api/v2.1/agents/actions')).toHaveLength(0);
  });
});
