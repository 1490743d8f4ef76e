import { afterEach, describe, expect, it } from 'vitest';
import { xsoar } from '../../../../lib/actions/connectors/xsoar';
import { ACTION_KINDS, type ActionKind, type ActionTarget } from '../../../../lib/actions/types';
import { startXsoarEmulator, type XsoarEmulator } from '../../../emulators/xsoar';
import { actionTest, instance, testExecutor } from '../harness';

let emu: XsoarEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const inst = (e: XsoarEmulator, extra: Record<string, unknown> = {}) =>
  instance(
    'xsoar',
    { version: e.version, baseUrl: e.url, apiKey: e.apiKey, apiKeyId: e.apiKeyId, ...extra },
    [...ACTION_KINDS] as ActionKind[],
  );
const input = (target: ActionTarget, playbook?: string) => ({
  target,
  note: 'from hunt 12',
  pageUrl: 'https://siem.example/hunt/12',
  operationId: 'op-x',
  playbook,
});

describe('Cortex XSOAR connector', () => {
  for (const version of ['6', '8'] as const) {
    actionTest(
      'create_case',
      `${version}.x: creates an incident labelled with the indicator and the page`,
      async () => {
        emu = await startXsoarEmulator({ version });
        const { executor } = testExecutor();
        const result = await executor.run(
          xsoar,
          inst(emu),
          'create_case',
          input({ type: 'domain', value: 'evil.example.net' }),
        );
        expect(result).toMatchObject({ status: 'done', reference: '1000' });
        expect(emu.incidents[0]).toMatchObject({
          name: 'Riposte: domain evil.example.net [op-x]',
          type: 'Unclassified',
          severity: 3,
          labels: [
            { type: 'Indicator', value: 'evil.example.net' },
            { type: 'IndicatorType', value: 'domain' },
            { type: 'SourcePage', value: 'https://siem.example/hunt/12' },
            { type: 'RiposteOperation', value: 'op-x' },
          ],
        });
        const post = emu.requests[0];
        expect(post?.path).toBe(version === '8' ? '/xsoar/public/v1/incident' : '/incident');
        expect(post?.headers.authorization).toBe(emu.apiKey);
        if (version === '8') expect(post?.headers['x-xdr-auth-id']).toBe(emu.apiKeyId);
      },
    );
  }

  actionTest(
    'create_case',
    'with a playbook; a 500 after creation is found by name, not created twice',
    async () => {
      emu = await startXsoarEmulator();
      const { executor } = testExecutor();
      emu.setFault({ match: 'POST /xsoar/public/v1/incident', status: 500, after: true });
      const result = await executor.run(
        xsoar,
        inst(emu, { playbookId: 'Block Indicators - Generic v3' }),
        'create_case',
        input({ type: 'ipv4', value: '45.77.12.9' }),
      );
      expect(result.status).toBe('done');
      expect(emu.incidents).toHaveLength(1);
      expect(emu.incidents[0]?.playbookRuns).toEqual(['Block Indicators - Generic v3']);
    },
  );

  actionTest('run_playbook', 'runs a playbook on an existing incident (8.x and 6.x routes)', async () => {
    for (const version of ['8', '6'] as const) {
      emu = await startXsoarEmulator({ version });
      const { executor } = testExecutor();
      await executor.run(xsoar, inst(emu), 'create_case', input({ type: 'sha256', value: 'a'.repeat(64) }));
      const result = await executor.run(
        xsoar,
        inst(emu),
        'run_playbook',
        input({ type: 'incident', value: '1000' }, 'Riposte Triage'),
      );
      expect(result).toMatchObject({ status: 'done', reference: '1000' });
      expect(emu.incidents[0]?.playbookRuns).toEqual(['Riposte Triage']);
      expect(emu.requestsTo('POST')[1]?.path).toBe(
        `${version === '8' ? '/xsoar' : ''}/inv-playbook/new/Riposte%20Triage/1000`,
      );
      await emu.close();
      emu = undefined;
    }
  });

  it('8.x without the key id is a settings error naming the field', async () => {
    emu = await startXsoarEmulator();
    const { executor } = testExecutor();
    const result = await executor.run(
      xsoar,
      inst(emu, { apiKeyId: '' }),
      'create_case',
      input({ type: 'domain', value: 'x.example.net' }),
    );
    expect(result.message).toMatch(/apiKeyId — Cortex XSOAR 8 needs the API key ID/);
    expect(emu.requests).toHaveLength(0);
  });

  it('an unknown incident is a clear rejection', async () => {
    emu = await startXsoarEmulator();
    const { executor } = testExecutor();
    const result = await executor.run(
      xsoar,
      inst(emu, { playbookId: 'Riposte Triage' }),
      'run_playbook',
      input({ type: 'incident', value: '4242' }),
    );
    expect(result.message).toMatch(
      /Cortex XSOAR rejected the request to run the playbook Riposte Triage on incident 4242 \(HTTP 400\): Could not find investigation/,
    );
  });
});
