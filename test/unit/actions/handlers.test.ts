import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actionMenu,
  createActionHandlers,
  guardrailPolicy,
  readInstances,
} from '../../../lib/actions/handlers';
import { type ActionsRuntime, createActionsRuntime } from '../../../lib/actions/runtime';
import type { ActionsEvent } from '../../../lib/messaging/actions-protocol';
import { createRouter } from '../../../lib/messaging/router';
import { loadSettings, type StorageAreaLike } from '../../../lib/settings/store';
import { type CrowdStrikeEmulator, startCrowdStrikeEmulator } from '../../emulators/crowdstrike';

/** A `storage.local` / `storage.session` stand-in that keeps JSON copies, like the browser does. */
function memoryArea(
  initial: Record<string, unknown> = {},
): StorageAreaLike & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return structuredClone(data);
      const list = Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
  };
}

const SELF = { id: 'riposte-id', baseUrl: 'chrome-extension://riposte-id/' };
const PANEL = { id: SELF.id, url: 'chrome-extension://riposte-id/sidepanel.html' };
const CONTENT = { id: SELF.id, url: 'https://console.example/alerts/7', tab: { id: 42 }, frameId: 0 };

let emu: CrowdStrikeEmulator;
let local: ReturnType<typeof memoryArea>;
let session: ReturnType<typeof memoryArea>;
let managed: ReturnType<typeof memoryArea>;
let runtime: ActionsRuntime;
let opened: number[];
let events: ActionsEvent[];
let route: ReturnType<typeof createRouter>;
const clock = { now: Date.parse('2026-01-05T10:00:00Z') };
let ids = 0;
let factory: IDBFactory;

const settings = () => loadSettings(local, managed);
const secrets = () => ({ local, session });

function send(message: unknown, sender: object = PANEL) {
  return route(message, sender) as Promise<Record<string, unknown>>;
}

async function saveFalcon(extra: Record<string, unknown> = {}) {
  return send({
    type: 'connectors.save',
    instance: {
      vendor: 'crowdstrike',
      label: 'Falcon EU',
      settings: { baseUrl: emu.url, clientId: emu.clientId, networkAction: 'prevent' },
      actions: ['block_ip', 'unblock_ip', 'isolate_host', 'release_host'],
      sessionOnlySecrets: false,
      secrets: { clientSecret: emu.clientSecret },
      ...extra,
    },
  });
}

beforeEach(async () => {
  emu = await startCrowdStrikeEmulator({ hosts: [{ hostname: 'WS-0231', device_id: 'aid-1' }] });
  local = memoryArea();
  session = memoryArea();
  managed = memoryArea();
  opened = [];
  events = [];
  factory = new IDBFactory();
  runtime = createActionsRuntime({
    instances: () => readInstances(settings, secrets()),
    policy: async () => guardrailPolicy((await settings()).settings),
    wake: () => ({ schedule: () => undefined, clear: () => undefined }),
    executorDeps: {
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
      random: () => 0.5,
    },
    dbOptions: { indexedDB: factory, IDBKeyRange },
    newId: () => `op-${++ids}`,
    onUpdate: (operation) => events.push({ type: 'actions.event.status', operation }),
  });
  const handlers = createActionHandlers({
    runtime,
    settings,
    local,
    secrets: secrets(),
    openPanel: async (tabId) => {
      opened.push(tabId);
    },
    broadcast: (e) => events.push(e),
    newId: () => `inst-${++ids}`,
    now: () => clock.now,
  });
  route = createRouter({ self: SELF, handlers, log: () => undefined });
});
afterEach(() => emu.close());

describe('connector settings through the background', () => {
  it('stores the secret apart and tells the options page only that it is set', async () => {
    const saved = await saveFalcon();
    expect(saved.error).toBeUndefined();
    const stored = JSON.stringify(local.data['riposte.settings']);
    expect(stored).toContain('Falcon EU');
    expect(stored).not.toContain(emu.clientSecret);
    const list = await send({ type: 'connectors.list' });
    expect(JSON.stringify(list)).not.toContain(emu.clientSecret);
    const [view] = list.instances as Array<{ secretsSet: Record<string, boolean>; settings: object }>;
    expect(view?.secretsSet).toEqual({ clientSecret: true });
    expect(view?.settings).not.toHaveProperty('clientSecret');
    expect((list.catalog as Array<{ id: string }>).map((c) => c.id)).toContain('crowdstrike');
  });

  it('keeps session-only secrets out of storage.local', async () => {
    await saveFalcon({ sessionOnlySecrets: true });
    expect(JSON.stringify(local.data)).not.toContain(emu.clientSecret);
    expect(JSON.stringify(session.data)).toContain(emu.clientSecret);
  });

  it('refuses a form whose settings do not parse, and writes nothing', async () => {
    const reply = await saveFalcon({ secrets: {} });
    expect(reply.error).toMatch(/clientSecret/);
    expect(local.data['riposte.settings']).toBeUndefined();
  });

  it('editing with a blank secret keeps the stored one; Test connection uses it', async () => {
    await saveFalcon();
    const [view] = (await send({ type: 'connectors.list' })).instances as Array<{ id: string }>;
    const form = {
      id: view?.id,
      vendor: 'crowdstrike',
      label: 'Falcon EU (renamed)',
      settings: { baseUrl: emu.url, clientId: emu.clientId },
      actions: ['block_ip'],
      sessionOnlySecrets: false,
      secrets: {},
    };
    expect((await send({ type: 'connectors.save', instance: form })).error).toBeUndefined();
    const tested = await send({ type: 'connectors.test', instance: form });
    expect(tested.ok).toBe(true);
    expect(JSON.stringify(tested)).not.toContain(emu.clientSecret);
    const wrong = await send({
      type: 'connectors.test',
      instance: { ...form, secrets: { clientSecret: 'wrong-secret' } },
    });
    expect(wrong.ok).toBe(false);
    expect(String(wrong.message)).not.toContain('wrong-secret');
  });

  it('policy connectors cannot be edited or removed; removing an own one deletes its secrets', async () => {
    managed.data.actions = {
      connectors: [
        { id: 'corp-falcon', vendor: 'crowdstrike', label: 'Corp Falcon', settings: {}, actions: [] },
      ],
    };
    const list = await send({ type: 'connectors.list' });
    expect(
      (list.instances as Array<{ id: string; policy: boolean }>).find((i) => i.id === 'corp-falcon')?.policy,
    ).toBe(true);
    expect((await send({ type: 'connectors.remove', id: 'corp-falcon' })).error).toMatch(/administrator/);
    expect((await saveFalcon({ id: 'corp-falcon' })).error).toMatch(/administrator/);
    delete managed.data.actions;
    await saveFalcon();
    const [own] = (await send({ type: 'connectors.list' })).instances as Array<{ id: string }>;
    await send({ type: 'connectors.remove', id: own?.id });
    expect(JSON.stringify(local.data['riposte.secrets'])).not.toContain(emu.clientSecret);
    expect((await send({ type: 'connectors.list' })).instances).toEqual([]);
  });

  it('a content script can read neither the connectors nor the audit log', async () => {
    await saveFalcon();
    for (const type of ['connectors.list', 'actions.audit', 'actions.status', 'connectors.remove']) {
      const reply = await send({ type, id: 'x', filter: {} }, CONTENT);
      expect(reply.error, type).toMatch(/content script/);
    }
  });
});

describe('propose, confirm, status', () => {
  it('the hover card proposes, the panel shows it, only the panel executes, exactly once', async () => {
    await saveFalcon();
    const menu = await send({ type: 'actions.menu' }, CONTENT);
    const labels = (menu.actions as Array<{ action: string; targets: string[] }>).map(
      (a) => `${a.action}:${a.targets.join('/')}`,
    );
    expect(labels).toEqual([
      'block_ip:ipv4/ipv6',
      'isolate_host:hostname',
      'release_host:hostname',
      'unblock_ip:ipv4/ipv6',
    ]);
    expect(JSON.stringify(menu)).not.toContain(emu.clientSecret);

    const [inst] = (await send({ type: 'connectors.list' })).instances as Array<{ id: string }>;
    const proposed = await send(
      {
        type: 'actions.propose',
        instanceId: inst?.id,
        action: 'block_ip',
        target: { type: 'ipv4', value: '93.184.216.34' },
      },
      CONTENT,
    );
    expect(proposed).toEqual({ ok: true });
    expect(opened).toEqual([42]);
    expect(events).toContainEqual({ type: 'actions.event.proposal', tabId: 42 });
    expect(emu.requestsTo('POST /iocs')).toHaveLength(0);

    const { prepared } = (await send({ type: 'actions.proposal', tabId: 42 })) as {
      prepared: { id: string; items: Array<{ lines: string[] }>; instanceLabel: string; refused: unknown[] };
    };
    expect(prepared.instanceLabel).toBe('Falcon EU');
    expect(prepared.items[0]?.lines.join(' ')).toContain('93.184.216.34');
    expect(prepared.refused).toEqual([]);

    // the content script cannot execute it, even knowing its id
    const fromContent = await send({ type: 'actions.confirm', preparedId: prepared.id }, CONTENT);
    expect(fromContent.error).toMatch(/content script/);
    expect(emu.requestsTo('POST /iocs')).toHaveLength(0);

    const first = await send({ type: 'actions.confirm', preparedId: prepared.id });
    const again = await send({ type: 'actions.confirm', preparedId: prepared.id });
    await runtime.service.settle();
    expect(emu.requestsTo('POST /iocs/entities/indicators/v1')).toHaveLength(1);
    expect((first.operations as Array<{ operationId: string }>)[0]?.operationId).toBe(
      (again.operations as Array<{ operationId: string }>)[0]?.operationId,
    );
    // confirmed: no longer proposed
    expect((await send({ type: 'actions.proposal', tabId: 42 })).prepared).toBeNull();

    const opId = (first.operations as Array<{ operationId: string }>)[0]?.operationId as string;
    const status = await send({ type: 'actions.status', operationIds: [opId] });
    expect((status.operations as Array<{ state: string; reference?: string }>)[0]).toMatchObject({
      state: 'done',
      reference: [...emu.iocs.keys()][0],
    });
    expect(events.some((e) => e.type === 'actions.event.status' && e.operation.state === 'done')).toBe(true);

    const csv = await send({ type: 'actions.auditExport', format: 'csv', filter: {} });
    expect(String(csv.text)).toContain('93.184.216.34');
    expect(String(csv.filename)).toMatch(/^riposte-audit-\d{8}-\d{4}\.csv$/);
    expect(String(csv.text)).not.toContain(emu.clientSecret);
  });

  it('a protected or non-public target is refused at prepare time, with the reason, and audited', async () => {
    await saveFalcon();
    await local.set({
      'riposte.settings': {
        ...(local.data['riposte.settings'] as object),
        actions: {
          ...(local.data['riposte.settings'] as { actions: object }).actions,
          protected: ['8.8.4.4'],
        },
      },
    });
    const [inst] = (await send({ type: 'connectors.list' })).instances as Array<{ id: string }>;
    const reply = await send({
      type: 'actions.prepare',
      instanceId: inst?.id,
      action: 'block_ip',
      targets: [
        { type: 'ipv4', value: '8.8.4.4' },
        { type: 'ipv4', value: '10.1.2.3' },
      ],
    });
    const prepared = reply.prepared as { items: unknown[]; refused: Array<{ reason: string }> };
    expect(prepared.items).toEqual([]);
    expect(prepared.refused.map((r) => r.reason).join(' ')).toMatch(/protected list/);
    expect(prepared.refused.map((r) => r.reason).join(' ')).toMatch(/private address/);
    const audit = await send({ type: 'actions.audit', filter: { result: 'refused' } });
    expect(audit.entries).toHaveLength(2);
    expect(emu.requests.filter((r) => r.path.startsWith('/iocs'))).toHaveLength(0);
  });

  it('an operation the worker forgot (restart) is still reported from the audit log', async () => {
    await saveFalcon();
    const [inst] = (await send({ type: 'connectors.list' })).instances as Array<{ id: string }>;
    const { prepared } = (await send({
      type: 'actions.prepare',
      instanceId: inst?.id,
      action: 'block_ip',
      targets: [{ type: 'ipv4', value: '93.184.216.34' }],
    })) as { prepared: { id: string } };
    await send({ type: 'actions.confirm', preparedId: prepared.id });
    await runtime.service.settle();
    // a fresh handler set over the same database stands for the restarted worker
    const fresh = createActionHandlers({
      runtime: createActionsRuntime({
        instances: () => readInstances(settings, secrets()),
        policy: async () => guardrailPolicy((await settings()).settings),
        wake: () => ({ schedule: () => undefined, clear: () => undefined }),
        dbOptions: { indexedDB: factory, IDBKeyRange },
      }),
      settings,
      local,
      secrets: secrets(),
      openPanel: async () => undefined,
      broadcast: () => undefined,
      newId: () => 'x',
      now: () => clock.now,
    });
    const status = await fresh['actions.status'](
      { type: 'actions.status', operationIds: [prepared.id] },
      { kind: 'extension-page', url: PANEL.url },
    );
    expect(status.operations[0]).toMatchObject({ state: 'done', target: { value: '93.184.216.34' } });
  });
});

describe('the hover card menu', () => {
  it('lists each enabled action once with the target types it takes, nothing an administrator disallowed', async () => {
    await saveFalcon();
    managed.data.actions = { allowedActions: ['block_ip'] };
    const list = await readInstances(settings, secrets());
    expect(actionMenu(list).map((a) => a.action)).toEqual(['block_ip']);
  });
});
