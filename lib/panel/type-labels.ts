import { INDICATOR_TYPES, type IndicatorType, type IpScope } from '../detect/types';

/** How the panel names each indicator type (group headings, filter). */
export const TYPE_LABELS: Record<IndicatorType, string> = {
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  cidr: 'CIDR ranges',
  domain: 'Domains',
  url: 'URLs',
  email: 'Email addresses',
  md5: 'MD5 hashes',
  sha1: 'SHA-1 hashes',
  sha256: 'SHA-256 hashes',
  sha512: 'SHA-512 hashes',
  cve: 'CVEs',
  btc: 'Bitcoin addresses',
  asn: 'ASNs',
  attack_technique: 'ATT&CK techniques',
  attack_tactic: 'ATT&CK tactics',
  attack_group: 'ATT&CK groups',
  attack_software: 'ATT&CK software',
  attack_mitigation: 'ATT&CK mitigations',
  attack_campaign: 'ATT&CK campaigns',
  d3fend_technique: 'D3FEND techniques',
};

/** Group order in the list: the contract's order (network, hashes, vulnerabilities, then knowledge ids). */
export const TYPE_ORDER: Record<IndicatorType, number> = Object.fromEntries(
  INDICATOR_TYPES.map((t, i) => [t, i]),
) as Record<IndicatorType, number>;

/** Scope labels shown next to an IP; public addresses carry none. */
export const SCOPE_LABELS: Partial<Record<IpScope, string>> = {
  private: 'private',
  loopback: 'loopback',
  'link-local': 'link-local',
  cgnat: 'CGNAT',
  documentation: 'documentation',
  multicast: 'multicast',
  reserved: 'reserved',
};

export const SCOPE_EXPLANATIONS: Partial<Record<IpScope, string>> = {
  private: 'Private address (RFC 1918 / ULA): internal, never blocked',
  loopback: 'Loopback address: this machine',
  'link-local': 'Link-local address: not routed',
  cgnat: 'Carrier-grade NAT range (RFC 6598)',
  documentation: 'Documentation range (RFC 5737 / 3849): an example, not a real host',
  multicast: 'Multicast address',
  reserved: 'Reserved address range',
};
