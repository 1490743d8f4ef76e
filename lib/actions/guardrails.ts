/**
 * Never-block rules, checked before any request leaves: non-public addresses, the connectors' own hosts and the
 * protected lists (the analyst's and, above it, the administrator's policy). Pure; `ipaddr.js` for CIDR math,
 * `tldts` for host names. A refusal says why, in words.
 */
import ipaddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import { z } from 'zod';
import type { IpScope } from '../detect/types';
import type { ActionKind, ActionTarget } from './types';
import { MUTATING_ACTIONS } from './types';

export const protectedListSchema = z.object({
  /** Domains; each also protects its subdomains. */
  domains: z.array(z.string()).default([]),
  /** IP addresses or CIDR ranges. */
  networks: z.array(z.string()).default([]),
  /** File hashes (any algorithm). */
  hashes: z.array(z.string()).default([]),
  /** Host names that are never isolated (domain controllers, the SOC's own jump hosts). */
  hosts: z.array(z.string()).default([]),
});
export type ProtectedList = z.infer<typeof protectedListSchema>;

export interface GuardrailPolicy {
  analyst: ProtectedList;
  /** From `storage.managed`: an administrator's list, which the analyst cannot edit. */
  managed?: ProtectedList;
  /** Actions an administrator turned off everywhere. */
  deniedActions?: readonly ActionKind[];
  /** When an administrator set it (`actions.allowedActions`): the only actions that exist. */
  allowedActions?: readonly string[];
}

const HASH_LENGTHS = new Set([32, 40, 64, 128]);

/**
 * Sorts a flat protected list as lib/settings stores it (`actions.protected`: domains, IPs, CIDRs, hashes) into
 * its kinds. A bare name without a dot is a host name (never isolated).
 */
export function protectedListFrom(entries: readonly string[]): ProtectedList {
  const list: ProtectedList = { domains: [], networks: [], hashes: [], hosts: [] };
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (parseNetwork(entry)) list.networks.push(entry);
    else if (/^[0-9a-f]+$/i.test(entry) && HASH_LENGTHS.has(entry.length))
      list.hashes.push(entry.toLowerCase());
    else if (!entry.includes('.')) list.hosts.push(entry.toLowerCase());
    else list.domains.push(entry.toLowerCase().replace(/^\*\./, ''));
  }
  return list;
}

export type GuardrailVerdict = { allowed: true } | { allowed: false; reason: string };

export interface GuardrailContext {
  action: ActionKind;
  target: ActionTarget;
  /** Hosts of the instance (base URL, token endpoint) and of every configured instance. */
  connectorHosts: readonly string[];
  policy: GuardrailPolicy;
}

/** Ranges that are never public, by the words the refusal uses. Documentation ranges are listed explicitly. */
const NON_PUBLIC: Array<{ cidr: string; scope: IpScope; what: string }> = [
  { cidr: '0.0.0.0/8', scope: 'reserved', what: '"this network" (0.0.0.0/8)' },
  { cidr: '10.0.0.0/8', scope: 'private', what: 'a private address (RFC 1918)' },
  { cidr: '100.64.0.0/10', scope: 'cgnat', what: 'a carrier-grade NAT address (RFC 6598)' },
  { cidr: '127.0.0.0/8', scope: 'loopback', what: 'a loopback address' },
  { cidr: '169.254.0.0/16', scope: 'link-local', what: 'a link-local address' },
  { cidr: '172.16.0.0/12', scope: 'private', what: 'a private address (RFC 1918)' },
  { cidr: '192.0.0.0/24', scope: 'reserved', what: 'an IETF protocol assignment (192.0.0.0/24)' },
  { cidr: '192.0.2.0/24', scope: 'documentation', what: 'a documentation address (TEST-NET-1)' },
  { cidr: '192.88.99.0/24', scope: 'reserved', what: 'a reserved relay address (192.88.99.0/24)' },
  { cidr: '192.168.0.0/16', scope: 'private', what: 'a private address (RFC 1918)' },
  { cidr: '198.18.0.0/15', scope: 'reserved', what: 'a benchmarking address (198.18.0.0/15)' },
  { cidr: '198.51.100.0/24', scope: 'documentation', what: 'a documentation address (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', scope: 'documentation', what: 'a documentation address (TEST-NET-3)' },
  { cidr: '224.0.0.0/4', scope: 'multicast', what: 'a multicast address' },
  { cidr: '240.0.0.0/4', scope: 'reserved', what: 'a reserved address (240.0.0.0/4)' },
  { cidr: '::/128', scope: 'reserved', what: 'the unspecified address' },
  { cidr: '::1/128', scope: 'loopback', what: 'the IPv6 loopback address' },
  {
    cidr: '::ffff:0:0/96',
    scope: 'reserved',
    what: 'an IPv4-mapped address (block the IPv4 address instead)',
  },
  { cidr: '64:ff9b::/96', scope: 'reserved', what: 'a NAT64 address' },
  { cidr: '100::/64', scope: 'reserved', what: 'a discard-only address (100::/64)' },
  { cidr: '2001::/23', scope: 'reserved', what: 'an IETF protocol assignment (2001::/23)' },
  { cidr: '2001:db8::/32', scope: 'documentation', what: 'a documentation address (2001:db8::/32)' },
  { cidr: '2002::/16', scope: 'reserved', what: 'a 6to4 address' },
  { cidr: 'fc00::/7', scope: 'private', what: 'a unique local address (fc00::/7)' },
  { cidr: 'fe80::/10', scope: 'link-local', what: 'a link-local address' },
  { cidr: 'ff00::/8', scope: 'multicast', what: 'a multicast address' },
];

const PARSED_RANGES = NON_PUBLIC.map((r) => ({ ...r, range: ipaddr.parseCIDR(r.cidr) }));

const SCOPE_WORDS: Record<IpScope, string> = {
  public: 'a public address',
  private: 'a private address',
  loopback: 'a loopback address',
  'link-local': 'a link-local address',
  cgnat: 'a carrier-grade NAT address',
  documentation: 'a documentation address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseNetwork(value: string): Cidr | undefined {
  try {
    if (value.includes('/')) return ipaddr.parseCIDR(value.trim());
    const addr = ipaddr.parse(value.trim());
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** True when two networks share at least one address. */
function overlaps(a: Cidr, b: Cidr): boolean {
  if (a[0].kind() !== b[0].kind()) return false;
  // the shorter prefix contains the other's network address iff they overlap
  const [wide, narrow] = a[1] <= b[1] ? [a, b] : [b, a];
  return (narrow[0] as ipaddr.IPv4).match(wide as [ipaddr.IPv4, number]);
}

/** Why an address or range is not public, or undefined when it is. */
export function nonPublicReason(value: string): string | undefined {
  const net = parseNetwork(value);
  if (!net) return undefined;
  for (const r of PARSED_RANGES) {
    if (overlaps(net, r.range as Cidr)) return r.what;
  }
  return undefined;
}

function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
}

function isSameOrSubdomain(host: string, domain: string): boolean {
  const h = normaliseHost(host);
  const d = normaliseHost(domain).replace(/^\*\./, '');
  return d !== '' && (h === d || h.endsWith(`.${d}`));
}

function hostOf(target: ActionTarget): string | undefined {
  if (target.type === 'domain' || target.type === 'hostname') return normaliseHost(target.value);
  if (target.type === 'url') {
    try {
      return normaliseHost(new URL(target.value).hostname);
    } catch {
      return undefined;
    }
  }
  if (target.type === 'email') return normaliseHost(target.value.split('@').pop() ?? '');
  return undefined;
}

function checkAgainstList(target: ActionTarget, list: ProtectedList, whose: string): string | undefined {
  const host = hostOf(target);
  const isIp = host !== undefined && ipaddr.isValid(host);
  if (host && !isIp) {
    const domain = list.domains.find((d) => isSameOrSubdomain(host, d));
    if (domain) return `${host} is on ${whose} protected list (${domain} and its subdomains).`;
    if (target.type === 'hostname') {
      const named = list.hosts.find(
        (h) => normaliseHost(h) === host || normaliseHost(h).split('.')[0] === host.split('.')[0],
      );
      if (named) return `${target.value} is on ${whose} list of hosts that are never isolated.`;
    }
  }
  const address = isIp ? host : ['ipv4', 'ipv6', 'cidr'].includes(target.type) ? target.value : undefined;
  if (address) {
    const net = parseNetwork(address);
    if (net) {
      for (const entry of list.networks) {
        const protectedNet = parseNetwork(entry);
        if (protectedNet && overlaps(net, protectedNet))
          return `${target.value} is within ${entry}, on ${whose} protected list.`;
      }
    }
  }
  if (['md5', 'sha1', 'sha256', 'sha512'].includes(target.type)) {
    if (list.hashes.some((h) => h.trim().toLowerCase() === target.value.toLowerCase())) {
      return `This file hash is on ${whose} protected list (a known-good file).`;
    }
  }
  return undefined;
}

/** Decides whether an action may be sent for a target; refusals explain themselves. */
export function checkGuardrails(ctx: GuardrailContext): GuardrailVerdict {
  const { action, target, policy } = ctx;
  if (
    policy.deniedActions?.includes(action) ||
    (policy.allowedActions && !policy.allowedActions.includes(action))
  ) {
    return { allowed: false, reason: 'Your administrator has turned this action off (managed policy).' };
  }
  if (!MUTATING_ACTIONS.has(action)) return { allowed: true };

  const host = hostOf(target);
  const address =
    target.type === 'ipv4' || target.type === 'ipv6' || target.type === 'cidr'
      ? target.value
      : host && ipaddr.isValid(host)
        ? host
        : undefined;
  if (address && action !== 'isolate_host') {
    if (target.scope && target.scope !== 'public') {
      return {
        allowed: false,
        reason: `${target.value} is ${SCOPE_WORDS[target.scope]}; Riposte never blocks non-public addresses.`,
      };
    }
    const reason = nonPublicReason(address);
    if (reason)
      return {
        allowed: false,
        reason: `${target.value} is ${reason}; Riposte never blocks non-public addresses.`,
      };
    if (!parseNetwork(address))
      return { allowed: false, reason: `${target.value} is not a valid IP address.` };
  }
  if (host && !ipaddr.isValid(host) && action !== 'isolate_host') {
    const own = ctx.connectorHosts.find((h) => isSameOrSubdomain(h, host));
    if (own)
      return {
        allowed: false,
        reason: `Blocking ${host} would cut Riposte off from a configured connector (${own}).`,
      };
    if (target.type === 'domain' || target.type === 'url') {
      const info = parseDomain(host);
      if (info.domain === null || (info.isIcann && info.publicSuffix === host)) {
        return {
          allowed: false,
          reason: `${host} is a public suffix, not an organisation's domain; blocking it would block everyone under it.`,
        };
      }
    }
  }
  if (address && action !== 'isolate_host') {
    const own = ctx.connectorHosts.find((h) => {
      const a = parseNetwork(h);
      const b = parseNetwork(address);
      return a && b && overlaps(a, b);
    });
    if (own)
      return { allowed: false, reason: `${target.value} is the address of a configured connector (${own}).` };
  }
  const managed = policy.managed && checkAgainstList(target, policy.managed, "your administrator's");
  if (managed) return { allowed: false, reason: managed };
  const mine = checkAgainstList(target, policy.analyst, 'your');
  if (mine) return { allowed: false, reason: mine };
  return { allowed: true };
}
