/**
 * Scope of an IP address (the `scope` field of ipv4 / ipv6 / cidr indicators), from ipaddr.js's special ranges,
 * with the documentation ranges (RFC 5737, RFC 3849, RFC 9637) told apart from the other reserved blocks.
 */
import ipaddr from 'ipaddr.js';
import type { IpScope } from './types.ts';

function fromRange(range: string): IpScope {
  switch (range) {
    case 'unicast':
    case 'as112':
    case 'as112v6':
    case 'amt':
    case '6to4':
    case 'teredo':
    case 'rfc6052':
      return 'public';
    case 'private':
    case 'uniqueLocal':
      return 'private';
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'link-local';
    case 'carrierGradeNat':
      return 'cgnat';
    case 'multicast':
      return 'multicast';
    default:
      return 'reserved';
  }
}

/** Scope of the IPv4 address `a.b.c.d`. */
export function ipv4Scope(a: number, b: number, c: number, d: number): IpScope {
  if (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return 'documentation';
  }
  return fromRange(new ipaddr.IPv4([a, b, c, d]).range());
}

/** Scope of the IPv6 address given as eight 16-bit groups; IPv4-mapped addresses take their IPv4 scope. */
export function ipv6Scope(groups: number[]): IpScope {
  const g0 = groups[0] as number;
  const g1 = groups[1] as number;
  if ((g0 === 0x2001 && g1 === 0x0db8) || (g0 & 0xfff0) === 0x3ff0) return 'documentation';
  const address = new ipaddr.IPv6(groups);
  if (address.isIPv4MappedAddress()) {
    const [a, b, c, d] = address.toIPv4Address().octets as [number, number, number, number];
    return ipv4Scope(a, b, c, d);
  }
  return fromRange(address.range());
}
