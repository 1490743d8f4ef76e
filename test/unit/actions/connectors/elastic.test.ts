import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { elastic } from '../../../../lib/actions/connectors/elastic';
import { ACTION_KINDS, type ActionKind, type PollHandle } from '../../../../lib/actions/types';
import { type ElasticEmulator, startElasticEmulator } from '../../../emulators/elastic';
import { actionTest, instance, testExecutor } from '../harness';

let emu: ElasticEmulator;
const inst = (extra: Record<string, unknown> = {}) =>
  instance('elastic', { baseUrl: emu.url, apiKey: emu.apiKey, ...extra }, [...ACTION_KINDS] as ActionKind[]);
const input = (value: string) => ({
  target: { type: 'hostname' as const, value },
  note: 'ransomware staging',
  operationId: 'op-el',
});

beforeEach(async () => {
  emu = await startElasticEmulator({ hosts: ['web-01', 'db-02'] });
});
afterEach(() => emu.close());

describe('Elastic Security connector', () => {
  actionTest(
    'isolate_host',
    'finds the endpoint by hostname, isolates it with kbn-xsrf, polls until completed',
    async () => {
      const { executor } = testExecutor();
      const started = await executor.run(elastic, inst(), 'isolate_host', input('WEB-01'));
      expect(started.status).toBe('pending');
      const post = emu.requestsTo('POST /api/endpoint/action/isolate')[0];
      expect(post?.headers['kbn-xsrf']).toBe('true');
      expect(post?.headers.authorization).toBe(`ApiKey ${emu.apiKey}`);
      expect(post?.json).toMatchObject({ endpoint_ids: [emu.endpoints[0]?.agentId] });
      const handle = started.poll as PollHandle;
      expect((await executor.poll(elastic, inst(), 'isolate_host', handle)).status).toBe('pending');
      expect(await executor.poll(elastic, inst(), 'isolate_host', handle)).toMatchObject({
        status: 'done',
        message: 'WEB-01 is isolated (Elastic Security).',
      });
      expect(emu.endpoints[0]?.isolated).toBe(true);
    },
  );

  actionTest('isolate_host', 'works inside a Kibana space and reports a failed action plainly', async () => {
    const { executor } = testExecutor();
    emu.failNextActions();
    const started = await executor.run(elastic, inst({ space: 'soc' }), 'isolate_host', input('db-02'));
    expect(emu.requestsTo('POST /s/soc/api/endpoint/action/isolate')).toHaveLength(1);
    await executor.poll(elastic, inst({ space: 'soc' }), 'isolate_host', started.poll as PollHandle);
    const end = await executor.poll(
      elastic,
      inst({ space: 'soc' }),
      'isolate_host',
      started.poll as PollHandle,
    );
    expect(end).toMatchObject({ status: 'failed' });
    expect(end.message).toMatch(/isolate of db-02 as failed/);
  });

  actionTest(
    'isolate_host',
    'a 502 after the action was created is resolved by listing actions, not a second isolate',
    async () => {
      const { executor } = testExecutor();
      emu.setFault({ match: 'POST /api/endpoint/action/isolate', status: 502, after: true });
      const started = await executor.run(elastic, inst(), 'isolate_host', input('web-01'));
      expect(started.status).toBe('pending');
      expect(emu.actions).toHaveLength(1);
      expect(started.reference).toBe(emu.actions[0]?.id);
    },
  );

  actionTest('release_host', 'unisolates the endpoint', async () => {
    const { executor } = testExecutor();
    const started = await executor.run(elastic, inst(), 'release_host', input('web-01'));
    expect(emu.requestsTo('POST /api/endpoint/action/unisolate')).toHaveLength(1);
    await executor.poll(elastic, inst(), 'release_host', started.poll as PollHandle);
    expect(
      (await executor.poll(elastic, inst(), 'release_host', started.poll as PollHandle)).message,
    ).toMatch(/released/);
  });

  it('a wrong API key is explained', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(elastic, inst({ apiKey: 'bad' }), 'isolate_host', input('web-01'));
    expect(result.message).toBe(
      'Elastic Security refused the API key (401) — check the key in the options page.',
    );
  });
});
