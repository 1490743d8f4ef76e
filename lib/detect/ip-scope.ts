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

type Range = [ipaddr.IPv4, number];

const SCOPES: IpScope[] = [
  'public',
  'private',
  'loopback',
  'link-local',
  'cgnat',
  'documentation',
  'multicast',
  'reserved',
];

/**
 * Per /16 block: 0 when some special range (or a documentation /24) is narrower than the block, so the scope must
 * be asked per address; 255 when not computed yet; otherwise 1 + the index in SCOPES of the scope every address of
 * the block shares, filled lazily from ipaddr.js. Derived from ipaddr.js's own range table, so they cannot disagree.
 */
const BLOCK_SCOPE = (() => {
  const table = new Uint8Array(65536).fill(255);
  const ranges = (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, Range | Range[]> })
    .SpecialRanges;
  for (const entry of Object.values(ranges)) {
    const list = (Array.isArray(entry[0]) ? entry : [entry]) as Range[];
    for (const [address, bits] of list) {
      if (bits > 16) table[((address.octets[0] as number) << 8) | (address.octets[1] as number)] = 0;
    }
  }
  for (const block of [192 << 8, (198 << 8) | 51, 203 << 8]) table[block] = 0; // documentation /24s
  return table;
})();

function exactIPv4Scope(a: number, b: number, c: number, d: number): IpScope {
  if (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return 'documentation';
  }
  return fromRange(new ipaddr.IPv4([a, b, c, d]).range());
}

/** Scope of the IPv4 address `a.b.c.d`. */
export function ipv4Scope(a: number, b: number, c: number, d: number): IpScope {
  const block = (a << 8) | b;
  const known = BLOCK_SCOPE[block] as number;
  if (known === 0) return exactIPv4Scope(a, b, c, d);
  if (known !== 255) return SCOPES[known - 1] as IpScope;
  const scope = exactIPv4Scope(a, b, 0, 1);
  BLOCK_SCOPE[block] = SCOPES.indexOf(scope) + 1;
  return scope;
}

/** Scope of an IPv4 address given as an unsigned 32-bit number. */
export function ipv4ScopeOf(address: number): IpScope {
  return ipv4Scope(
    Math.floor(address / 16777216),
    (address >>> 16) & 255,
    (address >>> 8) & 255,
    address & 255,
  );
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
