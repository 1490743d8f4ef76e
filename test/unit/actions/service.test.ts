import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuardrailPolicy } from '../../../lib/actions/guardrails';
import { type ActionsRuntime, createActionsRuntime } from '../../../lib/actions/runtime';
import { ACTION_KINDS, type ActionKind, type ConnectorInstance } from '../../../lib/actions/types';
import { type CrowdStrikeEmulator, startCrowdStrikeEmulator } from '../../emulators/crowdstrike';
import { type DefenderEmulator, startDefenderEmulator } from '../../emulators/defender';
import { startEmulator } from '../../emulators/server';

let cs: CrowdStrikeEmulator;
let mde: DefenderEmulator;
let factory: IDBFactory;
const wakes: number[] = [];
const clock = { now: Date.parse('2026-01-05T10:00:00Z') };
let ids = 0;
const all = [...ACTION_KINDS] as ActionKind[];

function instances(): ConnectorInstance[] {
  return [
    {
      id: 'cs-eu',
      label: 'Falcon EU',
      vendor: 'crowdstrike',
      settings: { baseUrl: cs.url, clientId: cs.clientId, clientSecret: cs.clientSecret },
      enabledActions: all,
    },
    {
      id: 'cs-us',
      label: 'Falcon US',
      vendor: 'crowdstrike',
      settings: { baseUrl: cs.url, clientId: cs.clientId, clientSecret: cs.clientSecret },
      enabledActions: ['block_hash'],
    },
    {
      id: 'mde',
      label: 'Defender prod',
      vendor: 'defender',
      settings: {
        baseUrl: mde.url,
        tokenUrl: mde.tokenUrl,
        tenantId: mde.tenantId,
        clientId: mde.clientId,
        clientSecret: mde.clientSecret,
      },
      enabledActions: all,
    },
  ];
}
const policy: GuardrailPolicy = {
  analyst: { domains: ['example-corp.com'], networks: [], hashes: [], hosts: ['dc01'] },
};

function runtime(extra: { instances?: () => ConnectorInstance[] } = {}): ActionsRuntime {
  return createActionsRuntime({
    instances: async () => (extra.instances ?? instances)(),
    policy: async () => policy,
    wake: () => ({ schedule: (when) => void wakes.push(when), clear: () => undefined }),
    executorDeps: {
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
      random: () => 0.5,
    },
    dbOptions: { indexedDB: factory, IDBKeyRange },
    newId: () => `op-${++ids}`,
    firstPollDelayMs: 5_000,
  });
}

beforeEach(async () => {
  factory = new IDBFactory();
  wakes.length = 0;
  cs = await startCrowdStrikeEmulator({ hosts: [{ hostname: 'WS-0231', device_id: 'aid-1' }] });
  mde = await startDefenderEmulator();
});
afterEach(async () => {
  await cs.close();
  await mde.close();
});

describe('action service', () => {
  it('lists what each configured instance can do to a target, with D3FEND countermeasures', async () => {
    const rt = runtime();
    const forIp = await rt.service.available({ type: 'ipv4' });
    expect(forIp.map((a) => `${a.instanceLabel}:${a.action}`)).toEqual([
      'Falcon EU:block_ip',
      'Falcon EU:unblock_ip',
      'Defender prod:block_ip',
      'Defender prod:unblock_ip',
    ]);
    expect(forIp[0]?.countermeasures).toEqual([
      { id: 'D3-ITF', name: 'Inbound Traffic Filtering' },
      { id: 'D3-OTF', name: 'Outbound Traffic Filtering' },
    ]);
    const forHash = await rt.service.available({ type: 'sha256' });
    expect(forHash.filter((a) => a.action === 'block_hash').map((a) => a.instanceId)).toEqual([
      'cs-eu',
      'cs-us',
      'mde',
    ]);
    const dns = await rt.service.forCountermeasures(
      ['D3-DNSDL'],
      [
        { type: 'domain', value: 'evil.example.net' },
        { type: 'ipv4', value: '45.77.12.9' },
      ],
    );
    expect(dns.map((a) => [a.instanceId, a.action, a.targets.map((t) => t.value)])).toEqual([
      ['cs-eu', 'block_domain', ['evil.example.net']],
      ['mde', 'block_domain', ['evil.example.net']],
    ]);
    const isolation = await rt.service.forCountermeasures(['D3-NI']);
    expect(isolation.map((a) => `${a.instanceId}:${a.action}`)).toEqual([
      'cs-eu:isolate_host',
      'mde:isolate_host',
    ]);
    expect(isolation.every((a) => a.highImpact)).toBe(true);
  });

  it('refuses a guarded IP with a reason, sends nothing, and audits the refusal', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'cs-eu',
      action: 'block_ip',
      targets: [{ type: 'ipv4', value: '10.0.0.5', scope: 'private' }],
      pageUrl: 'https://siem/x',
    });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.prepared.items).toEqual([]);
    expect(res.prepared.refused[0]?.reason).toMatch(
      /private address; Riposte never blocks non-public addresses/,
    );
    expect((await rt.service.confirm(res.prepared.id)).ok).toBe(false);
    expect(cs.requests).toHaveLength(0);
    const log = await rt.audit.list();
    expect(log).toEqual([
      expect.objectContaining({ result: 'refused', target: '10.0.0.5', phase: 'attempt' }),
    ]);
  });

  it('confirm executes once: a double click returns the same operation and one IOC is created', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'cs-eu',
      action: 'block_ip',
      targets: [{ type: 'ipv4', value: '45.77.12.9', scope: 'public' }],
      note: 'C2',
      pageUrl: 'https://siem.example/case/1',
    });
    if (!res.ok) throw new Error(res.error);
    expect(res.prepared.items[0]?.lines[0]).toMatch(
      /Create a custom IOC ipv4 45\.77\.12\.9, action "detect"/,
    );
    expect(res.prepared.secondConfirmation).toBeUndefined();
    const [a, b] = await Promise.all([
      rt.service.confirm(res.prepared.id),
      rt.service.confirm(res.prepared.id),
    ]);
    await rt.service.settle();
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b.operations[0]?.operationId).toBe(a.operations[0]?.operationId);
    expect(cs.iocs.size).toBe(1);
    expect(cs.requestsTo('POST /iocs/entities/indicators/v1')).toHaveLength(1);
    const status = await rt.service.status(a.operations[0]?.operationId as string);
    expect(status).toMatchObject({ state: 'done', undo: 'unblock_ip' });
    const log = await rt.audit.list();
    expect(log.map((e) => `${e.phase}:${e.result}`).sort()).toEqual(['attempt:requested', 'outcome:done']);
    expect(log.find((e) => e.result === 'done')).toMatchObject({
      instanceLabel: 'Falcon EU',
      action: 'block_ip',
      target: '45.77.12.9',
      pageUrl: 'https://siem.example/case/1',
      reference: [...cs.iocs.keys()][0],
    });
  });

  it('two confirmations of the same block while the first runs do not start a second request', async () => {
    const rt = runtime();
    const mk = () =>
      rt.service.prepare({
        instanceId: 'mde',
        action: 'block_domain',
        targets: [{ type: 'domain', value: 'evil.example.net' }],
      });
    const p1 = await mk();
    const p2 = await mk();
    if (!p1.ok || !p2.ok) throw new Error('prepare');
    mde.setFault({ match: 'POST /api/indicators', delayMs: 200 });
    const c1 = await rt.service.confirm(p1.prepared.id);
    const c2 = await rt.service.confirm(p2.prepared.id);
    await rt.service.settle();
    if (!c1.ok || !c2.ok) throw new Error('confirm');
    expect(c2.operations[0]?.operationId).toBe(c1.operations[0]?.operationId);
    expect(mde.requestsTo('POST /api/indicators')).toHaveLength(1);
  });

  it('isolation needs the host name typed; then it is pending, polled to done and audited once', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'mde',
      action: 'isolate_host',
      targets: [{ type: 'hostname', value: 'ws-0231' }],
    });
    if (!res.ok) throw new Error(res.error);
    expect(res.prepared.secondConfirmation).toEqual({
      kind: 'host',
      expected: 'ws-0231',
      prompt: 'Type the host name ws-0231 to confirm its isolation.',
    });
    const wrong = await rt.service.confirm(res.prepared.id, 'ws-9999');
    expect(wrong).toEqual({
      ok: false,
      error: 'Not confirmed: Type the host name ws-0231 to confirm its isolation.',
    });
    expect(mde.requestsTo('POST /api/machines')).toHaveLength(0);
    const ok = await rt.service.confirm(res.prepared.id, 'WS-0231');
    await rt.service.settle();
    if (!ok.ok) throw new Error(ok.error);
    const id = ok.operations[0]?.operationId as string;
    expect((await rt.service.status(id))?.state).toBe('pending');
    expect(await rt.poller.list()).toHaveLength(1);
    expect(wakes.at(-1)).toBe(clock.now + 5_000);
    clock.now += 5_000;
    await rt.poller.tick(); // InProgress
    expect((await rt.service.status(id))?.state).toBe('pending');
    clock.now += 10_000;
    await Promise.all([rt.poller.tick(), rt.poller.tick()]); // Succeeded; concurrent ticks must not double-audit
    expect(await rt.service.status(id)).toMatchObject({ state: 'done', undo: 'release_host' });
    expect(await rt.poller.list()).toHaveLength(0);
    const outcomes = (await rt.audit.list()).filter((e) => e.phase === 'outcome');
    expect(outcomes).toEqual([
      expect.objectContaining({ result: 'done', target: 'ws-0231', reference: mde.machineActions[0]?.id }),
    ]);
  });

  it('a pending isolation survives a service-worker restart and is audited once', async () => {
    const before = runtime();
    const res = await before.service.prepare({
      instanceId: 'cs-eu',
      action: 'isolate_host',
      targets: [{ type: 'hostname', value: 'WS-0231' }],
    });
    if (!res.ok) throw new Error(res.error);
    const c = await before.service.confirm(res.prepared.id, 'WS-0231');
    await before.service.settle();
    if (!c.ok) throw new Error(c.error);
    const id = c.operations[0]?.operationId as string;
    before.db.close(); // the worker dies

    const after = runtime(); // same IndexedDB, fresh memory
    wakes.length = 0;
    await after.poller.resume();
    expect(wakes).toHaveLength(1);
    expect(await after.service.status(id)).toMatchObject({ state: 'pending', target: { value: 'WS-0231' } });
    clock.now += 60_000;
    await after.onAlarm('riposte-actions-poll'); // containment_pending
    clock.now += 60_000;
    await after.onAlarm('riposte-actions-poll'); // contained
    await after.onAlarm('riposte-actions-poll'); // nothing left
    expect(await after.poller.list()).toHaveLength(0);
    const outcomes = (await after.audit.list()).filter((e) => e.operationId === id && e.phase === 'outcome');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ result: 'done', message: 'WS-0231 is contained by CrowdStrike.' });
    const third = runtime(); // another restart: the audit log still answers status, with the undo it offers
    expect(await third.service.status(id)).toMatchObject({
      state: 'done',
      undo: 'release_host',
      target: { value: 'WS-0231' },
    });
    expect(cs.requestsTo('POST /devices/entities/devices-actions/v2')).toHaveLength(1);
  });

  it('a pending operation that never completes fails at its deadline with a plain message', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'cs-eu',
      action: 'isolate_host',
      targets: [{ type: 'hostname', value: 'WS-0231' }],
    });
    if (!res.ok) throw new Error(res.error);
    await rt.service.confirm(res.prepared.id, 'WS-0231');
    await rt.service.settle();
    cs.setFault({ match: 'GET /devices/entities/devices/v2', status: 503, times: Number.POSITIVE_INFINITY });
    clock.now += 31 * 60_000;
    await rt.poller.tick();
    const outcome = (await rt.audit.list()).find((e) => e.phase === 'outcome');
    expect(outcome?.result).toBe('failed');
    expect(outcome?.message).toMatch(/CrowdStrike had not confirmed after 30 min/);
  });

  it('bulk actions need the count typed', async () => {
    const rt = runtime();
    const targets = ['a', 'b', 'c'].map((c) => ({ type: 'sha256' as const, value: c.repeat(64) }));
    const res = await rt.service.prepare({ instanceId: 'cs-us', action: 'block_hash', targets });
    if (!res.ok) throw new Error(res.error);
    expect(res.prepared.secondConfirmation).toMatchObject({ kind: 'count', expected: '3' });
    expect((await rt.service.confirm(res.prepared.id)).ok).toBe(false);
    const ok = await rt.service.confirm(res.prepared.id, '3');
    await rt.service.settle();
    expect(ok.ok).toBe(true);
    expect(cs.iocs.size).toBe(3);
  });

  it('undo prepares the inverse action, which then removes the IOC', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'mde',
      action: 'block_url',
      targets: [{ type: 'url', value: 'https://evil.example.net/p' }],
    });
    if (!res.ok) throw new Error(res.error);
    const c = await rt.service.confirm(res.prepared.id);
    await rt.service.settle();
    if (!c.ok) throw new Error(c.error);
    const undo = await rt.service.undo(c.operations[0]?.operationId as string);
    if (!undo.ok) throw new Error(undo.error);
    expect(undo.prepared.action).toBe('unblock_url');
    await rt.service.confirm(undo.prepared.id);
    await rt.service.settle();
    expect(mde.indicators.size).toBe(0);
  });

  it('cancel stops following a pending isolation and audits it as cancelled', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'mde',
      action: 'isolate_host',
      targets: [{ type: 'hostname', value: 'ws-0231' }],
    });
    if (!res.ok) throw new Error(res.error);
    const c = await rt.service.confirm(res.prepared.id, 'ws-0231');
    await rt.service.settle();
    if (!c.ok) throw new Error(c.error);
    const cancelled = await rt.service.cancel(c.operations[0]?.operationId as string);
    expect(cancelled?.state).toBe('cancelled');
    expect(await rt.poller.list()).toHaveLength(0);
    expect((await rt.audit.list()).filter((e) => e.phase === 'outcome').map((e) => e.result)).toEqual([
      'cancelled',
    ]);
  });

  it('cancel while the request is still running stops it and audits it as cancelled', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'mde',
      action: 'block_ip',
      targets: [{ type: 'ipv4', value: '45.77.12.9' }],
    });
    if (!res.ok) throw new Error(res.error);
    mde.setFault({ match: 'POST /api/indicators', delayMs: 400 });
    const c = await rt.service.confirm(res.prepared.id);
    if (!c.ok) throw new Error(c.error);
    const id = c.operations[0]?.operationId as string;
    for (let i = 0; i < 50 && mde.requestsTo('POST /api/indicators').length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    await rt.service.cancel(id);
    await rt.service.settle();
    expect((await rt.service.status(id))?.state).toBe('cancelled');
    expect((await rt.audit.list()).find((e) => e.phase === 'outcome')?.result).toBe('cancelled');
  });

  it('an expired confirmation cannot be executed', async () => {
    const rt = runtime();
    const res = await rt.service.prepare({
      instanceId: 'mde',
      action: 'block_ip',
      targets: [{ type: 'ipv4', value: '45.77.12.9' }],
    });
    if (!res.ok) throw new Error(res.error);
    clock.now += 6 * 60_000;
    expect(await rt.service.confirm(res.prepared.id)).toEqual({
      ok: false,
      error: 'This confirmation expired; choose the action again.',
    });
    expect(mde.requestsTo('POST')).toHaveLength(0);
  });

  it('no secret reaches a summary, a status, the audit log or an export, even when a vendor echoes it', async () => {
    const secret = 'k-9f8e7d6c5b4a-TOPSECRET';
    const echo = await startEmulator({}, [
      {
        method: 'POST',
        path: '/hook',
        auth: 'none',
        handle: (req) => ({ status: 400, body: { message: `invalid key ${req.headers['x-api-key']}` } }),
      },
    ]);
    try {
      const list = () => [
        ...instances(),
        {
          id: 'hook',
          label: 'n8n',
          vendor: 'webhook',
          settings: { url: `${echo.url}/hook`, auth: { kind: 'header', name: 'X-Api-Key', value: secret } },
          enabledActions: all,
        } satisfies ConnectorInstance,
      ];
      const rt = runtime({ instances: list });
      const res = await rt.service.prepare({
        instanceId: 'hook',
        action: 'create_case',
        targets: [{ type: 'domain', value: 'evil.example.net' }],
        note: 'n',
      });
      if (!res.ok) throw new Error(res.error);
      const c = await rt.service.confirm(res.prepared.id);
      await rt.service.settle();
      if (!c.ok) throw new Error(c.error);
      const status = await rt.service.status(c.operations[0]?.operationId as string);
      expect(status?.state).toBe('failed');
      expect(status?.message).toMatch(/invalid key ••••••/);
      expect(echo.requests[0]?.headers['x-api-key']).toBe(secret); // it was sent, so the scan below can fail
      const everything = [
        JSON.stringify(res.prepared),
        JSON.stringify(status),
        JSON.stringify(rt.service.recent()),
        JSON.stringify(await rt.db.entries.toArray()),
        JSON.stringify(await rt.db.pending.toArray()),
        await rt.audit.exportCsv(),
        await rt.audit.exportJson(),
      ].join('\n');
      for (const s of [secret, cs.clientSecret, mde.clientSecret]) expect(everything).not.toContain(s);
    } finally {
      await echo.close();
    }
  });

  it('test connection reports success or an actionable failure', async () => {
    const rt = runtime();
    const [cs1, , mde1] = instances();
    expect(await rt.service.testConnection(cs1 as ConnectorInstance)).toMatchObject({ status: 'done' });
    const bad = {
      ...(mde1 as ConnectorInstance),
      settings: { ...(mde1?.settings as object), clientSecret: 'bad-secret-x' },
    };
    const res = await rt.service.testConnection(bad);
    expect(res.status).toBe('failed');
    expect(res.message).not.toContain('bad-secret-x');
  });
});

describe('message schemas (lib/messaging/actions-protocol.ts)', () => {
  it('parse what the service produces', async () => {
    const proto = await import('../../../lib/messaging/actions-protocol');
    const { connectorCatalog } = await import('../../../lib/actions/registry');
    const rt = runtime();
    for (const a of await rt.service.available({ type: 'ipv4' })) proto.AvailableActionSchema.parse(a);
    for (const c of connectorCatalog()) proto.CatalogEntrySchema.parse(c);
    const res = await rt.service.prepare({
      instanceId: 'mde',
      action: 'isolate_host',
      targets: [{ type: 'hostname', value: 'ws-0231' }],
    });
    if (!res.ok) throw new Error(res.error);
    proto.PreparedSchema.parse(res.prepared);
    const c = await rt.service.confirm(res.prepared.id, 'ws-0231');
    await rt.service.settle();
    if (!c.ok) throw new Error(c.error);
    for (const op of [...c.operations, ...rt.service.recent()]) proto.OperationSchema.parse(op);
    const entries = await rt.audit.list();
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) proto.AuditEntrySchema.parse(e);
  });
});
