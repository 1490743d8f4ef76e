import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splunkSoar } from '../../../../lib/actions/connectors/splunk-soar';
import {
  ACTION_KINDS,
  type ActionKind,
  type ActionTarget,
  type PollHandle,
} from '../../../../lib/actions/types';
import { type SplunkSoarEmulator, startSplunkSoarEmulator } from '../../../emulators/splunk-soar';
import { actionTest, instance, testExecutor } from '../harness';

let emu: SplunkSoarEmulator;
const inst = (extra: Record<string, unknown> = {}) =>
  instance(
    'splunk-soar',
    { baseUrl: emu.url, authToken: emu.token, playbook: 'local/riposte_block', ...extra },
    [...ACTION_KINDS] as ActionKind[],
  );
const input = (target: ActionTarget, operationId = 'op-soar') => ({
  target,
  note: 'phish kit',
  pageUrl: 'https://mail.example/q/1',
  operationId,
});

beforeEach(async () => {
  emu = await startSplunkSoarEmulator();
});
afterEach(() => emu.close());

describe('Splunk SOAR connector', () => {
  actionTest(
    'create_case',
    'creates a container whose artifact CEF field fits each indicator type',
    async () => {
      const { executor } = testExecutor();
      const cases: Array<[ActionTarget, string]> = [
        [{ type: 'ipv4', value: '45.77.12.9' }, 'destinationAddress'],
        [{ type: 'domain', value: 'evil.example.net' }, 'destinationDnsDomain'],
        [{ type: 'url', value: 'https://evil.example.net/a' }, 'requestURL'],
        [{ type: 'sha256', value: 'a'.repeat(64) }, 'fileHashSha256'],
        [{ type: 'md5', value: 'b'.repeat(32) }, 'fileHashMd5'],
      ];
      for (const [i, [target]] of cases.entries()) {
        const result = await executor.run(splunkSoar, inst(), 'create_case', input(target, `op-${i}`));
        expect(result.status).toBe('done');
      }
      expect(emu.containers.map((c) => c.artifacts[0]?.cef)).toEqual(
        cases.map(([t, field]) => ({ [field]: t.value })),
      );
      expect(emu.requests[0]?.headers['ph-auth-token']).toBe(emu.token);
      expect(emu.containers[0]).toMatchObject({
        label: 'events',
        severity: 'high',
        source_data_identifier: 'op-0',
      });
    },
  );

  actionTest(
    'create_case',
    'a retry after a 503 that created the container reuses it (source_data_identifier)',
    async () => {
      const { executor } = testExecutor();
      emu.setFault({ match: 'POST /rest/container', status: 503, after: true });
      const result = await executor.run(
        splunkSoar,
        inst(),
        'create_case',
        input({ type: 'domain', value: 'evil.example.net' }),
      );
      expect(result).toMatchObject({ status: 'done', reference: '100' });
      expect(emu.containers).toHaveLength(1);
    },
  );

  actionTest(
    'run_playbook',
    'creates a container, runs the configured playbook and polls the run to success',
    async () => {
      const { executor } = testExecutor();
      const started = await executor.run(
        splunkSoar,
        inst(),
        'run_playbook',
        input({ type: 'ipv4', value: '45.77.12.9' }),
      );
      expect(started.status).toBe('pending');
      expect(emu.requestsTo('POST /rest/playbook_run')[0]?.json).toEqual({
        container_id: 100,
        playbook_id: 'local/riposte_block',
        scope: 'new',
        run: true,
      });
      const handle = started.poll as PollHandle;
      expect((await executor.poll(splunkSoar, inst(), 'run_playbook', handle)).status).toBe('pending');
      expect(await executor.poll(splunkSoar, inst(), 'run_playbook', handle)).toMatchObject({
        status: 'done',
        reference: '500',
      });
    },
  );

  actionTest(
    'run_playbook',
    'on an existing container by id, a failed run reports the vendor message',
    async () => {
      const { executor } = testExecutor();
      await executor.run(
        splunkSoar,
        inst(),
        'create_case',
        input({ type: 'domain', value: 'x.example.net' }),
      );
      emu.setRunOutcome('failed');
      const started = await executor.run(
        splunkSoar,
        inst({ playbook: '17' }),
        'run_playbook',
        input({ type: 'incident', value: '100' }),
      );
      expect(emu.containers).toHaveLength(1);
      expect(emu.requestsTo('POST /rest/playbook_run')[0]?.json).toMatchObject({
        container_id: 100,
        playbook_id: 17,
      });
      await executor.poll(splunkSoar, inst(), 'run_playbook', started.poll as PollHandle);
      const end = await executor.poll(splunkSoar, inst(), 'run_playbook', started.poll as PollHandle);
      expect(end.status).toBe('failed');
      expect(end.message).toMatch(/ended "failed" on container 100: action block_ip failed on asset fw-01/);
    },
  );

  it('without a configured playbook the analyst is told where to set it, and nothing is sent', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      splunkSoar,
      inst({ playbook: '' }),
      'run_playbook',
      input({ type: 'ipv4', value: '45.77.12.9' }),
    );
    expect(result.message).toBe(
      'No playbook is configured for "splunk-soar (test tenant)" — set one in the options page.',
    );
    expect(emu.requests).toHaveLength(0);
  });

  it('an unknown playbook is a clear rejection', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      splunkSoar,
      inst({ playbook: 'local/nope' }),
      'run_playbook',
      input({ type: 'ipv4', value: '45.77.12.9' }),
    );
    expect(result.message).toMatch(
      /Splunk SOAR rejected the request to run the playbook local\/nope on container 100 \(HTTP 400\): Playbook local\/nope not found/,
    );
  });
});
