import { describe, expect, it } from 'vitest';
import { candidatesFor, createActionsModel } from '../../../components/actions/actions-model';
import {
  fieldsOf,
  initialValues,
  originsOf,
  settingsFromValues,
} from '../../../components/actions/schema-form';
import { cardChoices } from '../../../lib/actions/card-actions';
import { connectorCatalog } from '../../../lib/actions/registry';
import type {
  ActionsEvent,
  AvailableActionReply,
  PreparedReply,
} from '../../../lib/messaging/actions-protocol';

const catalog = connectorCatalog();
const entry = (id: string) => {
  const e = catalog.find((c) => c.id === id);
  if (!e) throw new Error(`no ${id}`);
  return e;
};

describe('connector forms from the settings schema', () => {
  it('every registered connector yields a form whose defaults plus its required fields parse', () => {
    for (const c of catalog) {
      const fields = fieldsOf(c.settingsJsonSchema, c.secretFields);
      expect(fields.length, c.id).toBeGreaterThan(0);
      for (const secret of c.secretFields.filter((s) => !s.includes('.')))
        expect(fields.find((f) => f.key === secret)?.kind, `${c.id}.${secret}`).toBe('secret');
    }
  });

  it('the webhook auth variants: only the chosen variant is sent, its secret apart from the settings', () => {
    const c = entry('webhook');
    const fields = fieldsOf(c.settingsJsonSchema, c.secretFields);
    expect(fields.find((f) => f.key === 'auth.kind')?.options).toEqual(['none', 'header', 'hmac']);
    const values = {
      ...initialValues(fields),
      url: 'https://hooks.example/riposte',
      'auth.kind': 'hmac',
      'auth.secret': 'a-long-shared-secret-0123',
      'auth.name': 'X-Ignored',
    };
    const { settings, secrets } = settingsFromValues(fields, values);
    expect(settings.auth).toEqual({ kind: 'hmac', header: 'X-Riposte-Signature' });
    expect(secrets).toEqual({ 'auth.secret': 'a-long-shared-secret-0123' });
    expect(JSON.stringify(settings)).not.toContain('a-long-shared-secret-0123');
  });

  it('asks for the hosts the connector talks to and nothing else', () => {
    const c = entry('defender');
    const fields = fieldsOf(c.settingsJsonSchema, c.secretFields);
    const values = {
      ...initialValues(fields),
      baseUrl: 'https://api.securitycenter.microsoft.com',
      tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
    };
    expect(originsOf(fields, values)).toEqual([
      'https://api.securitycenter.microsoft.com/*',
      'https://login.microsoftonline.com/*',
    ]);
    expect(originsOf(fields, { ...values, baseUrl: 'http://127.0.0.1:8443/x' })[0]).toBe(
      'http://127.0.0.1:8443/*',
    );
  });
});

const block = (instanceId = 'cs', instanceLabel = 'Falcon EU'): AvailableActionReply => ({
  instanceId,
  instanceLabel,
  vendor: 'crowdstrike',
  vendorLabel: 'CrowdStrike',
  action: 'block_ip',
  label: 'Block IP address',
  countermeasures: [{ id: 'D3-ITF', name: 'Inbound Traffic Filtering' }],
  highImpact: false,
  targets: ['ipv4', 'ipv6'],
});
const isolate: AvailableActionReply = {
  ...block(),
  action: 'isolate_host',
  label: 'Isolate host',
  countermeasures: [{ id: 'D3-NI', name: 'Network Isolation' }],
  highImpact: true,
  targets: ['hostname'],
};

describe('hover card buttons', () => {
  it('offers Block on public addresses only, isolation on host names written as domains', () => {
    expect(
      cardChoices([block(), isolate], { type: 'ipv4', value: '93.184.216.34', scope: 'public' }),
    ).toEqual([
      {
        instanceId: 'cs',
        action: 'block_ip',
        label: 'Block',
        target: { type: 'ipv4', value: '93.184.216.34' },
      },
    ]);
    expect(cardChoices([block(), isolate], { type: 'ipv4', value: '10.0.0.5', scope: 'private' })).toEqual(
      [],
    );
    expect(cardChoices([block(), isolate], { type: 'domain', value: 'ws-1.corp.example' })).toEqual([
      {
        instanceId: 'cs',
        action: 'isolate_host',
        label: 'Isolate host',
        target: { type: 'hostname', value: 'ws-1.corp.example' },
      },
    ]);
    expect(cardChoices([block(), isolate], { type: 'sha256', value: 'a'.repeat(64) })).toEqual([]);
  });

  it('tells two tenants apart by name', () => {
    const labels = cardChoices([block('eu', 'Falcon EU'), block('us', 'Falcon US')], {
      type: 'ipv4',
      value: '93.184.216.34',
    }).map((c) => c.label);
    expect(labels).toEqual(['Block (Falcon EU)', 'Block (Falcon US)']);
  });
});

describe('the side panel model', () => {
  it('Apply picks the page indicators that fit, skipping non-public addresses', () => {
    const page = [
      { type: 'ipv4' as const, value: '93.184.216.34', count: 2, scope: 'public' as const },
      { type: 'ipv4' as const, value: '192.168.1.9', count: 1, scope: 'private' as const },
      { type: 'domain' as const, value: 'ws-1.corp.example', count: 1 },
      { type: 'md5' as const, value: 'b'.repeat(32), count: 1 },
    ];
    expect(candidatesFor(block(), page).map((c) => c.value)).toEqual(['93.184.216.34']);
    expect(candidatesFor(isolate, page)).toEqual([{ type: 'hostname', value: 'ws-1.corp.example' }]);
  });

  it('an isolation needs the second step and the host typed before anything is confirmed', async () => {
    const sent: Array<{ type: string; typed?: string }> = [];
    let listener: (e: ActionsEvent) => void = () => undefined;
    const prepared: PreparedReply = {
      id: 'p1',
      instanceId: 'cs',
      instanceLabel: 'Falcon EU',
      vendor: 'crowdstrike',
      vendorLabel: 'CrowdStrike',
      action: 'isolate_host',
      actionLabel: 'Isolate host',
      countermeasures: [],
      items: [{ target: { type: 'hostname', value: 'ws-1' }, lines: ['contain ws-1'] }],
      refused: [],
      secondConfirmation: { kind: 'host', expected: 'ws-1', prompt: 'Type the host name ws-1' },
      expiresAt: Date.now() + 60_000,
    };
    const op = {
      operationId: 'p1',
      preparedId: 'p1',
      instanceId: 'cs',
      instanceLabel: 'Falcon EU',
      vendor: 'crowdstrike',
      action: 'isolate_host' as const,
      target: { type: 'hostname' as const, value: 'ws-1' },
      state: 'pending' as const,
      message: 'waiting',
      startedAt: 1,
      updatedAt: 1,
    };
    const model = createActionsModel({
      send: (async (request: { type: string; typed?: string }) => {
        sent.push(request);
        if (request.type === 'actions.proposal') return { prepared };
        if (request.type === 'actions.confirm') return { operations: [op] };
        return {};
      }) as never,
      subscribe: (l) => {
        listener = l;
      },
      tabId: () => 7,
      pageUrl: () => 'https://console.example/',
      indicators: () => [],
      download: () => undefined,
    });
    listener({ type: 'actions.event.proposal', tabId: 7 });
    await new Promise((r) => setTimeout(r, 0));
    expect(model.confirmation.value?.id).toBe('p1');
    await model.confirm();
    expect(model.secondStep.value).toBe(true);
    expect(sent.some((s) => s.type === 'actions.confirm')).toBe(false);
    await model.confirm('ws-1');
    expect(sent.filter((s) => s.type === 'actions.confirm')).toEqual([
      { type: 'actions.confirm', preparedId: 'p1', typed: 'ws-1' },
    ]);
    expect(model.confirmation.value).toBeUndefined();
    expect(model.operations.value.map((o) => o.state)).toEqual(['pending']);
    listener({ type: 'actions.event.status', operation: { ...op, state: 'done', reference: 'aid-1' } });
    expect(model.operations.value[0]).toMatchObject({ state: 'done', reference: 'aid-1' });
  });
});
