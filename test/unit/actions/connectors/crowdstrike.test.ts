import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crowdstrike } from '../../../../lib/actions/connectors/crowdstrike';
import { ACTION_KINDS, type ActionKind } from '../../../../lib/actions/types';
import { type CrowdStrikeEmulator, startCrowdStrikeEmulator } from '../../../emulators/crowdstrike';
import { actionTest, instance, testExecutor } from '../harness';

let emu: CrowdStrikeEmulator;
const all = [...ACTION_KINDS] as ActionKind[];

function inst(extra: Record<string, unknown> = {}) {
  return instance(
    'crowdstrike',
    { baseUrl: emu.url, clientId: emu.clientId, clientSecret: emu.clientSecret, ...extra },
    all,
  );
}
const input = (type: string, value: string) => ({
  target: { type: type as 'ipv4', value },
  note: 'C2 from phishing case 42',
  pageUrl: 'https://siem.example/case/42',
  operationId: 'op-1',
});

beforeEach(async () => {
  emu = await startCrowdStrikeEmulator({
    hosts: [{ hostname: 'WS-0231', device_id: 'aid-0231' }, { hostname: 'DUP' }, { hostname: 'DUP' }],
  });
});
afterEach(() => emu.close());

describe('CrowdStrike Falcon connector', () => {
  actionTest('block_ip', 'creates one custom IOC with the configured action', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(crowdstrike, inst(), 'block_ip', input('ipv4', '203.0.114.7'));
    expect(result.status).toBe('done');
    const iocs = [...emu.iocs.values()];
    expect(iocs).toHaveLength(1);
    expect(iocs[0]).toMatchObject({ type: 'ipv4', value: '203.0.114.7', action: 'detect', severity: 'high' });
    expect(result.reference).toBe(iocs[0]?.id);
    const create = emu.requestsTo('POST /iocs/entities/indicators/v1')[0];
    expect(create?.headers.authorization).toMatch(/^Bearer /);
    expect(JSON.stringify(create?.json)).toContain('https://siem.example/case/42');
  });

  actionTest(
    'block_domain',
    'creates a domain IOC; a second click finds it instead of duplicating',
    async () => {
      const { executor } = testExecutor();
      const first = await executor.run(
        crowdstrike,
        inst(),
        'block_domain',
        input('domain', 'evil.example.net'),
      );
      const second = await executor.run(
        crowdstrike,
        inst(),
        'block_domain',
        input('domain', 'evil.example.net'),
      );
      expect(first.status).toBe('done');
      expect(second).toMatchObject({ status: 'done', reference: first.reference });
      expect(second.message).toMatch(/already/);
      expect(emu.iocs.size).toBe(1);
      expect(emu.requestsTo('POST /iocs/entities/indicators/v1')).toHaveLength(1);
    },
  );

  actionTest('block_hash', 'uses the hash action (prevent) for sha256 and md5', async () => {
    const { executor } = testExecutor();
    const sha = 'a'.repeat(64);
    expect((await executor.run(crowdstrike, inst(), 'block_hash', input('sha256', sha))).status).toBe('done');
    expect((await executor.run(crowdstrike, inst(), 'block_hash', input('md5', 'b'.repeat(32)))).status).toBe(
      'done',
    );
    expect([...emu.iocs.values()].map((i) => [i.type, i.action])).toEqual([
      ['sha256', 'prevent'],
      ['md5', 'prevent'],
    ]);
  });

  actionTest('unblock_ip', 'deletes the IOC it finds by type and value', async () => {
    const { executor } = testExecutor();
    await executor.run(crowdstrike, inst(), 'block_ip', input('ipv6', '2606:4700::6810:84e5'));
    const result = await executor.run(
      crowdstrike,
      inst(),
      'unblock_ip',
      input('ipv6', '2606:4700::6810:84e5'),
    );
    expect(result.status).toBe('done');
    expect(emu.iocs.size).toBe(0);
    expect(emu.requestsTo('DELETE /iocs/entities/indicators/v1')).toHaveLength(1);
  });

  actionTest('unblock_domain', 'reports plainly when there was nothing to delete', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      crowdstrike,
      inst(),
      'unblock_domain',
      input('domain', 'never.example.org'),
    );
    expect(result).toMatchObject({ status: 'done' });
    expect(result.message).toMatch(/nothing to remove/);
    expect(emu.requestsTo('DELETE')).toHaveLength(0);
  });

  actionTest('unblock_hash', 'removes a hash IOC', async () => {
    const { executor } = testExecutor();
    await executor.run(crowdstrike, inst(), 'block_hash', input('md5', 'c'.repeat(32)));
    expect(
      (await executor.run(crowdstrike, inst(), 'unblock_hash', input('md5', 'c'.repeat(32)))).status,
    ).toBe('done');
    expect(emu.iocs.size).toBe(0);
  });

  actionTest(
    'isolate_host',
    'looks the host up by hostname, contains it, polls until contained',
    async () => {
      const { executor } = testExecutor();
      const started = await executor.run(crowdstrike, inst(), 'isolate_host', input('hostname', 'WS-0231'));
      expect(started).toMatchObject({ status: 'pending', reference: 'aid-0231' });
      expect(emu.requestsTo('GET /devices/queries/devices/v1')[0]?.query.filter).toBe("hostname:'WS-0231'");
      const action = emu.requestsTo('POST /devices/entities/devices-actions/v2')[0];
      expect(action?.query.action_name).toBe('contain');
      expect(action?.json).toEqual({ ids: ['aid-0231'] });
      const handle = started.poll;
      expect(handle).toBeDefined();
      const first = await executor.poll(crowdstrike, inst(), 'isolate_host', handle as never);
      expect(first.status).toBe('pending');
      const second = await executor.poll(crowdstrike, inst(), 'isolate_host', handle as never);
      expect(second).toMatchObject({ status: 'done', message: 'WS-0231 is contained by CrowdStrike.' });
    },
  );

  actionTest('isolate_host', 'refuses to guess between two hosts with the same name', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(crowdstrike, inst(), 'isolate_host', input('hostname', 'DUP'));
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/2 hosts named DUP/);
    expect(emu.requestsTo('POST /devices/entities/devices-actions/v2')).toHaveLength(0);
  });

  actionTest('release_host', 'lifts containment', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(crowdstrike, inst(), 'release_host', input('hostname', 'WS-0231'));
    expect(result.status).toBe('pending');
    expect(emu.requestsTo('POST /devices/entities/devices-actions/v2')[0]?.query.action_name).toBe(
      'lift_containment',
    );
  });

  it('explains a wrong client secret without ever showing it', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      crowdstrike,
      inst({ clientSecret: 'wrong-secret-value' }),
      'block_ip',
      input('ipv4', '203.0.114.7'),
    );
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /CrowdStrike refused the client credentials \(401\) — check the client ID and client secret/,
    );
    expect(result.message).not.toContain('wrong-secret-value');
  });

  it('tests the connection with a harmless host query', async () => {
    const { executor } = testExecutor();
    const result = await executor.testConnection(crowdstrike, inst());
    expect(result.status).toBe('done');
    expect(emu.iocs.size).toBe(0);
  });
});
