import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defender } from '../../../../lib/actions/connectors/defender';
import { ACTION_KINDS, type ActionKind, type PollHandle } from '../../../../lib/actions/types';
import { type DefenderEmulator, startDefenderEmulator } from '../../../emulators/defender';
import { actionTest, instance, testExecutor } from '../harness';

let emu: DefenderEmulator;
const inst = (extra: Record<string, unknown> = {}) =>
  instance(
    'defender',
    {
      baseUrl: emu.url,
      tokenUrl: emu.tokenUrl,
      tenantId: emu.tenantId,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      ...extra,
    },
    [...ACTION_KINDS] as ActionKind[],
  );
const input = (type: string, value: string) => ({
  target: { type: type as 'ipv4', value },
  note: 'beaconing every 60 s',
  pageUrl: 'https://sentinel.example/incidents/7',
  operationId: 'op-7',
});

beforeEach(async () => {
  emu = await startDefenderEmulator({
    machines: [
      { computerDnsName: 'ws-0231.contoso.local', id: 'm-0231' },
      { computerDnsName: 'srv-db.contoso.local', id: 'm-db' },
    ],
  });
});
afterEach(() => emu.close());

describe('Microsoft Defender for Endpoint connector', () => {
  actionTest(
    'block_ip',
    'submits an IpAddress indicator with AlertAndBlock, token from the tenant authority',
    async () => {
      const { executor } = testExecutor();
      const result = await executor.run(defender, inst(), 'block_ip', input('ipv4', '45.77.12.9'));
      expect(result).toMatchObject({ status: 'done', reference: '1' });
      expect([...emu.indicators.values()]).toEqual([
        expect.objectContaining({
          indicatorValue: '45.77.12.9',
          indicatorType: 'IpAddress',
          action: 'AlertAndBlock',
          severity: 'High',
        }),
      ]);
      const token = emu.requestsTo(`POST /${emu.tenantId}/oauth2/v2.0/token`);
      expect(token).toHaveLength(1);
      expect(new URLSearchParams(token[0]?.body).get('scope')).toBe(
        'https://api.securitycenter.microsoft.com/.default',
      );
    },
  );

  actionTest('block_domain', 'submits a DomainName indicator; a repeat updates the same one', async () => {
    const { executor } = testExecutor();
    await executor.run(
      defender,
      inst({ indicatorAction: 'Block' }),
      'block_domain',
      input('domain', 'evil.example.net'),
    );
    await executor.run(
      defender,
      inst({ indicatorAction: 'Block' }),
      'block_domain',
      input('domain', 'evil.example.net'),
    );
    expect([...emu.indicators.values()]).toEqual([
      expect.objectContaining({ indicatorType: 'DomainName', action: 'Block' }),
    ]);
  });

  actionTest('block_url', 'submits a Url indicator', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      defender,
      inst(),
      'block_url',
      input('url', 'https://evil.example.net/payload.bin'),
    );
    expect(result.status).toBe('done');
    expect([...emu.indicators.values()][0]).toMatchObject({
      indicatorType: 'Url',
      indicatorValue: 'https://evil.example.net/payload.bin',
    });
  });

  actionTest('block_hash', 'maps md5 / sha1 / sha256 to FileMd5 / FileSha1 / FileSha256', async () => {
    const { executor } = testExecutor();
    for (const [type, value] of [
      ['md5', 'a'.repeat(32)],
      ['sha1', 'b'.repeat(40)],
      ['sha256', 'c'.repeat(64)],
    ] as const) {
      expect((await executor.run(defender, inst(), 'block_hash', input(type, value))).status).toBe('done');
    }
    expect([...emu.indicators.values()].map((i) => i.indicatorType)).toEqual([
      'FileMd5',
      'FileSha1',
      'FileSha256',
    ]);
  });

  actionTest('unblock_ip', 'finds the indicator by value and deletes it', async () => {
    const { executor } = testExecutor();
    await executor.run(defender, inst(), 'block_ip', input('ipv6', '2a05:d014::1'));
    const result = await executor.run(defender, inst(), 'unblock_ip', input('ipv6', '2a05:d014::1'));
    expect(result).toMatchObject({ status: 'done', reference: '1' });
    expect(emu.indicators.size).toBe(0);
  });

  actionTest('unblock_domain', 'deletes a domain indicator', async () => {
    const { executor } = testExecutor();
    await executor.run(defender, inst(), 'block_domain', input('domain', 'bad.example.org'));
    expect(
      (await executor.run(defender, inst(), 'unblock_domain', input('domain', 'bad.example.org'))).status,
    ).toBe('done');
    expect(emu.requestsTo('DELETE /api/indicators/1')).toHaveLength(1);
  });

  actionTest('unblock_url', 'says so when the URL was not listed', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      defender,
      inst(),
      'unblock_url',
      input('url', 'https://x.example.org/a'),
    );
    expect(result.message).toMatch(/nothing to remove/);
    expect(emu.requestsTo('DELETE')).toHaveLength(0);
  });

  actionTest('unblock_hash', 'deletes a hash indicator', async () => {
    const { executor } = testExecutor();
    await executor.run(defender, inst(), 'block_hash', input('sha256', 'd'.repeat(64)));
    await executor.run(defender, inst(), 'unblock_hash', input('sha256', 'd'.repeat(64)));
    expect(emu.indicators.size).toBe(0);
  });

  actionTest(
    'isolate_host',
    'finds the device by short DNS name, isolates it and polls the machine action to Succeeded',
    async () => {
      const { executor } = testExecutor();
      const started = await executor.run(
        defender,
        inst({ isolationType: 'Selective' }),
        'isolate_host',
        input('hostname', 'WS-0231'),
      );
      expect(started.status).toBe('pending');
      const post = emu.requestsTo('POST /api/machines/m-0231/isolate')[0];
      expect(post?.json).toMatchObject({ IsolationType: 'Selective' });
      expect(JSON.stringify(post?.json)).toContain('Riposte op-7');
      const handle = started.poll as PollHandle;
      expect((await executor.poll(defender, inst(), 'isolate_host', handle)).status).toBe('pending');
      const done = await executor.poll(defender, inst(), 'isolate_host', handle);
      expect(done).toMatchObject({
        status: 'done',
        message: 'WS-0231 is isolated (Microsoft Defender for Endpoint).',
      });
    },
  );

  actionTest('isolate_host', 'a second isolation while one is active follows the active action', async () => {
    const { executor } = testExecutor();
    const first = await executor.run(
      defender,
      inst(),
      'isolate_host',
      input('hostname', 'ws-0231.contoso.local'),
    );
    const second = await executor.run(
      defender,
      inst(),
      'isolate_host',
      input('hostname', 'ws-0231.contoso.local'),
    );
    expect(second.reference).toBe(first.reference);
    expect(emu.machineActions).toHaveLength(1);
  });

  actionTest('isolate_host', 'a failed machine action ends failed with the vendor status', async () => {
    const { executor } = testExecutor();
    emu.setActionOutcome('TimeOut');
    const started = await executor.run(defender, inst(), 'isolate_host', input('hostname', 'srv-db'));
    await executor.poll(defender, inst(), 'isolate_host', started.poll as PollHandle);
    const end = await executor.poll(defender, inst(), 'isolate_host', started.poll as PollHandle);
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/as TimeOut/);
  });

  actionTest('release_host', 'unisolates the device', async () => {
    const { executor } = testExecutor();
    const started = await executor.run(defender, inst(), 'release_host', input('hostname', 'ws-0231'));
    expect(started.status).toBe('pending');
    expect(emu.requestsTo('POST /api/machines/m-0231/unisolate')).toHaveLength(1);
    await executor.poll(defender, inst(), 'release_host', started.poll as PollHandle);
    expect(
      (await executor.poll(defender, inst(), 'release_host', started.poll as PollHandle)).message,
    ).toMatch(/released from isolation/);
  });

  it('a 500 on the machine action POST that actually landed is found by the lookup, not repeated', async () => {
    const { executor } = testExecutor();
    emu.setFault({ match: 'POST /api/machines/', status: 500, after: true });
    const result = await executor.run(defender, inst(), 'isolate_host', input('hostname', 'ws-0231'));
    expect(result.status).toBe('pending');
    expect(emu.requestsTo('POST /api/machines/')).toHaveLength(1);
    expect(emu.machineActions).toHaveLength(1);
  });

  it('an unknown device is a plain failure, with no action sent', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(defender, inst(), 'isolate_host', input('hostname', 'nope'));
    expect(result).toMatchObject({
      status: 'failed',
      message: 'Microsoft Defender for Endpoint has no device named nope — check the spelling or the tenant.',
    });
    expect(emu.requestsTo('POST /api/machines/')).toHaveLength(0);
  });

  it('a wrong tenant / secret is explained', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      defender,
      inst({ clientSecret: 'nope-nope' }),
      'block_ip',
      input('ipv4', '45.77.12.9'),
    );
    expect(result.message).toMatch(
      /refused the client credentials \(401\) — check the client ID and client secret and the tenant/,
    );
  });

  it('tests the connection', async () => {
    const { executor } = testExecutor();
    expect((await executor.testConnection(defender, inst())).status).toBe('done');
  });
});
