/**
 * The indicator contract shared by every context (see DESIGN.md, "Contracts"). Pure: no DOM, no browser API.
 */
export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'cve',
  'btc',
  'asn',
  'attack_technique',
  'attack_tactic',
  'attack_group',
  'attack_software',
  'attack_mitigation',
  'attack_campaign',
  'd3fend_technique',
] as const;

export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Where an IP address lives; drives the "private IP" label and the never-block guardrail. */
export const IP_SCOPES = [
  'public',
  'private',
  'loopback',
  'link-local',
  'cgnat',
  'documentation',
  'multicast',
  'reserved',
] as const;
export type IpScope = (typeof IP_SCOPES)[number];

export interface Indicator {
  type: IndicatorType;
  /** Normalised value: refanged, lowercased where the type is case-insensitive (see DESIGN.md). */
  value: string;
  /** Offsets into the scanned text in UTF-16 code units, `end` exclusive; they cover the text as written. */
  start: number;
  end: number;
  /** For ipv4 / ipv6 / cidr: the address's scope. */
  scope?: IpScope;
  /** True when the text was defanged (`hxxp`, `[.]`, …) and `value` is the refanged form. */
  defanged?: boolean;
}

/** Highlight families: one visual style each on the page and in the side panel. */
export type IndicatorFamily = 'network' | 'hash' | 'attack' | 'd3fend' | 'vulnerability';

export function familyOf(type: IndicatorType): IndicatorFamily {
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return 'hash';
    case 'cve':
      return 'vulnerability';
    case 'd3fend_technique':
      return 'd3fend';
    case 'attack_technique':
    case 'attack_tactic':
    case 'attack_group':
    case 'attack_software':
    case 'attack_mitigation':
    case 'attack_campaign':
      return 'attack';
    default:
      return 'network';
  }
}

/** ATT&CK / D3FEND ids are knowledge-base keys rather than observables. */
export function isKnowledgeId(type: IndicatorType): boolean {
  const family = familyOf(type);
  return family === 'attack' || family === 'd3fend';
}
