import type { IndicatorType, IpScope } from '../detect/types';

/** Words for the hover card: what an indicator is, and where an IP lives. */
const TYPE_LABELS: Record<IndicatorType, string> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  cidr: 'Network (CIDR)',
  domain: 'Domain',
  url: 'URL',
  email: 'Email address',
  md5: 'MD5 hash',
  sha1: 'SHA-1 hash',
  sha256: 'SHA-256 hash',
  sha512: 'SHA-512 hash',
  cve: 'Vulnerability (CVE)',
  btc: 'Bitcoin address',
  asn: 'Autonomous system',
  attack_technique: 'ATT&CK technique',
  attack_tactic: 'ATT&CK tactic',
  attack_group: 'ATT&CK group',
  attack_software: 'ATT&CK software',
  attack_mitigation: 'ATT&CK mitigation',
  attack_campaign: 'ATT&CK campaign',
  d3fend_technique: 'D3FEND technique',
};

const SCOPE_LABELS: Record<IpScope, string> = {
  public: 'public IP',
  private: 'private IP',
  loopback: 'loopback address',
  'link-local': 'link-local address',
  cgnat: 'carrier-grade NAT address',
  documentation: 'documentation range',
  multicast: 'multicast address',
  reserved: 'reserved address',
};

export function typeLabel(type: IndicatorType): string {
  return TYPE_LABELS[type];
}

export function scopeLabel(scope: IpScope): string {
  return SCOPE_LABELS[scope];
}
