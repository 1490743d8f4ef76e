import { describe, expect, it } from 'vitest';
import { checkGuardrails, type GuardrailPolicy, nonPublicReason } from '../../../lib/actions/guardrails';
import type { ActionKind, ActionTarget } from '../../../lib/actions/types';

const empty = { domains: [], networks: [], hashes: [], hosts: [] };
const policy: GuardrailPolicy = {
  analyst: {
    ...empty,
    domains: ['example-corp.com'],
    networks: ['8.8.8.0/24'],
    hashes: ['D41D8CD98F00B204E9800998ECF8427E'],
    hosts: ['dc01'],
  },
  managed: { ...empty, domains: ['microsoft.com'], networks: ['2620:1ec::/36'] },
};
const check = (action: ActionKind, target: ActionTarget, p: GuardrailPolicy = policy) =>
  checkGuardrails({
    action,
    target,
    policy: p,
    connectorHosts: ['api.crowdstrike.com', 'login.microsoftonline.com', '127.0.0.1'],
  });

describe('guardrails', () => {
  it.each([
    ['10.1.2.3', /private address/],
    ['192.168.0.10', /private address/],
    ['127.0.0.1', /loopback/],
    ['169.254.10.1', /link-local/],
    ['100.64.1.1', /carrier-grade NAT/],
    ['192.0.2.44', /documentation address \(TEST-NET-1\)/],
    ['198.51.100.1', /TEST-NET-2/],
    ['203.0.113.9', /TEST-NET-3/],
    ['240.0.0.1', /reserved/],
    ['224.0.0.251', /multicast/],
    ['::1', /loopback/],
    ['fe80::1', /link-local/],
    ['fd12:3456::1', /unique local/],
    ['2001:db8::5', /documentation/],
  ])('refuses to block %s and says why', (value, why) => {
    const verdict = check('block_ip', { type: value.includes(':') ? 'ipv6' : 'ipv4', value });
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) {
      expect(verdict.reason).toMatch(why);
      expect(verdict.reason).toMatch(/never blocks non-public addresses/);
    }
  });

  it('trusts the detector scope when it says an address is not public', () => {
    const verdict = check('block_ip', { type: 'ipv4', value: '8.8.4.4', scope: 'private' });
    expect(verdict).toEqual({
      allowed: false,
      reason: '8.8.4.4 is a private address; Riposte never blocks non-public addresses.',
    });
  });

  it('allows a public address that is on no list', () => {
    expect(check('block_ip', { type: 'ipv4', value: '45.77.12.9', scope: 'public' })).toEqual({
      allowed: true,
    });
    expect(check('block_ip', { type: 'ipv6', value: '2a05:d014::1' })).toEqual({ allowed: true });
  });

  it('refuses a CIDR that overlaps a private range', () => {
    expect(check('block_ip', { type: 'cidr', value: '10.0.0.0/7' }).allowed).toBe(false);
    expect(nonPublicReason('172.0.0.0/8')).toMatch(/private/);
    expect(nonPublicReason('45.0.0.0/8')).toBeUndefined();
  });

  it('protects IPs and CIDRs on the analyst list, and on the managed list with its own wording', () => {
    const mine = check('block_ip', { type: 'ipv4', value: '8.8.8.8' });
    expect(mine).toEqual({ allowed: false, reason: '8.8.8.8 is within 8.8.8.0/24, on your protected list.' });
    const admin = check('block_ip', { type: 'ipv6', value: '2620:1ec:c11::200' });
    expect(admin.allowed).toBe(false);
    if (!admin.allowed) expect(admin.reason).toMatch(/your administrator's protected list/);
  });

  it('protects domains with their subdomains, in domains and URLs', () => {
    expect(check('block_domain', { type: 'domain', value: 'vpn.eu.example-corp.com' }).allowed).toBe(false);
    expect(check('block_url', { type: 'url', value: 'https://login.example-corp.com/x' }).allowed).toBe(
      false,
    );
    expect(check('block_domain', { type: 'domain', value: 'notexample-corp.com' }).allowed).toBe(true);
    const admin = check('block_domain', { type: 'domain', value: 'update.microsoft.com' });
    expect(admin.allowed).toBe(false);
  });

  it("never blocks a connector's own host or a parent domain of it", () => {
    const verdict = check('block_domain', { type: 'domain', value: 'crowdstrike.com' });
    expect(verdict).toEqual({
      allowed: false,
      reason:
        'Blocking crowdstrike.com would cut Riposte off from a configured connector (api.crowdstrike.com).',
    });
    expect(
      check('block_url', { type: 'url', value: 'https://login.microsoftonline.com/common' }).allowed,
    ).toBe(false);
  });

  it('refuses a public suffix', () => {
    const verdict = check('block_domain', { type: 'domain', value: 'co.uk' });
    expect(verdict.allowed).toBe(false);
  });

  it('protects hashes case-insensitively and protected hosts from isolation', () => {
    expect(check('block_hash', { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }).allowed).toBe(
      false,
    );
    const dc = check('isolate_host', { type: 'hostname', value: 'DC01' });
    expect(dc).toEqual({ allowed: false, reason: 'DC01 is on your list of hosts that are never isolated.' });
    expect(check('isolate_host', { type: 'hostname', value: 'ws-0231' })).toEqual({ allowed: true });
  });

  it('lets undo, cases and playbooks through, unless the administrator denied the action', () => {
    expect(check('unblock_ip', { type: 'ipv4', value: '10.0.0.1' })).toEqual({ allowed: true });
    expect(check('create_case', { type: 'ipv4', value: '10.0.0.1' })).toEqual({ allowed: true });
    const denied = check(
      'isolate_host',
      { type: 'hostname', value: 'ws-1' },
      { ...policy, deniedActions: ['isolate_host'] },
    );
    expect(denied.allowed).toBe(false);
  });
});
