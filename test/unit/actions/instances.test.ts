import { describe, expect, it } from 'vitest';
import { crowdstrike } from '../../../lib/actions/connectors/crowdstrike';
import { webhook } from '../../../lib/actions/connectors/webhook';
import { checkGuardrails, protectedListFrom } from '../../../lib/actions/guardrails';
import { declaredActions, splitSecrets, toActionInstance } from '../../../lib/actions/instances';
import { CONNECTORS, connectorCatalog } from '../../../lib/actions/registry';

describe('settings bridge', () => {
  it('puts secrets back (nested too) and narrows actions to declared and allowed ones', () => {
    const inst = toActionInstance(
      {
        id: 'h',
        vendor: 'webhook',
        label: 'n8n',
        settings: { url: 'https://n8n.example/hook', auth: { kind: 'hmac' } },
        actions: ['block_ip', 'create_case', 'bogus'],
      },
      { 'auth.secret': 'whsec-0123456789abcdef' },
      webhook,
      ['block_ip'],
    );
    expect(inst.settings).toEqual({
      url: 'https://n8n.example/hook',
      auth: { kind: 'hmac', secret: 'whsec-0123456789abcdef' },
    });
    expect(inst.enabledActions).toEqual(['block_ip']);
    expect(webhook.settingsSchema.safeParse(inst.settings).success).toBe(true);
  });

  it('splits a form into storable settings and secrets', () => {
    const { settings, secrets } = splitSecrets(crowdstrike, {
      baseUrl: 'https://api.eu-1.crowdstrike.com',
      clientId: 'id',
      clientSecret: 's3cr3t',
    });
    expect(settings).toEqual({ baseUrl: 'https://api.eu-1.crowdstrike.com', clientId: 'id' });
    expect(secrets).toEqual({ clientSecret: 's3cr3t' });
    expect(declaredActions(crowdstrike)).toEqual([
      'block_ip',
      'block_domain',
      'block_hash',
      'isolate_host',
      'release_host',
      'unblock_ip',
      'unblock_domain',
      'unblock_hash',
    ]);
  });

  it('sorts a flat protected list and applies it', () => {
    const list = protectedListFrom([
      '*.corp.example',
      '10.0.0.0/8',
      '52.1.2.3',
      'D41D8CD98F00B204E9800998ECF8427E',
      'DC01',
      ' ',
    ]);
    expect(list).toEqual({
      domains: ['corp.example'],
      networks: ['10.0.0.0/8', '52.1.2.3'],
      hashes: ['d41d8cd98f00b204e9800998ecf8427e'],
      hosts: ['dc01'],
    });
    const verdict = checkGuardrails({
      action: 'block_ip',
      target: { type: 'ipv4', value: '52.1.2.3' },
      policy: { analyst: list },
      connectorHosts: [],
    });
    expect(verdict.allowed).toBe(false);
    const notAllowed = checkGuardrails({
      action: 'isolate_host',
      target: { type: 'hostname', value: 'ws1' },
      policy: { analyst: list, allowedActions: ['block_ip'] },
      connectorHosts: [],
    });
    expect(notAllowed).toEqual({
      allowed: false,
      reason: 'Your administrator has turned this action off (managed policy).',
    });
  });

  it('describes every vendor for the options page, with a JSON schema and no secret values', () => {
    const catalog = connectorCatalog();
    expect(catalog.map((c) => c.id)).toEqual(CONNECTORS.map((c) => c.id));
    expect(catalog.map((c) => c.id).slice(0, 3)).toEqual(['crowdstrike', 'defender', 'webhook']);
    const cs = catalog[0];
    expect(cs?.secretFields).toEqual(['clientSecret']);
    expect(JSON.stringify(cs?.settingsJsonSchema)).toContain('"clientSecret"');
    expect(cs?.actions.find((a) => a.action === 'isolate_host')?.countermeasures).toEqual([
      { id: 'D3-NI', name: 'Network Isolation' },
    ]);
  });
});
