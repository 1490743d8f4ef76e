import type { IndicatorType } from '../detect/types';
import type { CountedIndicator } from '../messaging/schemas';
import type { PageExport } from './page-context';
import { uuidV5 } from './uuid';

/**
 * The page's observables as a STIX 2.1 bundle of `indicator` objects with STIX patterns, plus one `vulnerability`
 * per CVE and an `identity` for Riposte as their creator. Ids are UUIDv5 over the pattern (or CVE), so exporting the
 * same indicators twice gives the same ids. ATT&CK / D3FEND ids are knowledge, not observables: they go to the
 * Navigator layer instead. Bitcoin addresses have no SCO in STIX 2.1's core and are counted in `skipped`.
 */
export interface StixIndicator {
  type: 'indicator';
  spec_version: '2.1';
  id: string;
  created_by_ref: string;
  created: string;
  modified: string;
  name: string;
  description: string;
  indicator_types: string[];
  pattern: string;
  pattern_type: 'stix';
  pattern_version: '2.1';
  valid_from: string;
}

export interface StixVulnerability {
  type: 'vulnerability';
  spec_version: '2.1';
  id: string;
  created_by_ref: string;
  created: string;
  modified: string;
  name: string;
  description: string;
  external_references: { source_name: 'cve'; external_id: string; url: string }[];
}

export interface StixIdentity {
  type: 'identity';
  spec_version: '2.1';
  id: string;
  created: string;
  modified: string;
  name: string;
  identity_class: 'system';
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: (StixIdentity | StixIndicator | StixVulnerability)[];
}

export interface StixExport {
  bundle: StixBundle;
  /** Indicators that have no STIX pattern (Bitcoin addresses), by type. */
  skipped: Partial<Record<IndicatorType, number>>;
}

/** A string literal inside a STIX pattern: single-quoted, with `\` and `'` escaped. */
export function patternString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The STIX pattern for an observable indicator, or undefined when STIX has no object for it. */
export function stixPattern(item: Pick<CountedIndicator, 'type' | 'value'>): string | undefined {
  const v = patternString(item.value);
  switch (item.type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${v}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${v}]`;
    case 'cidr':
      return item.value.includes(':') ? `[ipv6-addr:value = ${v}]` : `[ipv4-addr:value = ${v}]`;
    case 'domain':
      return `[domain-name:value = ${v}]`;
    case 'url':
      return `[url:value = ${v}]`;
    case 'email':
      return `[email-addr:value = ${v}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${v}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${v}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${v}]`;
    case 'sha512':
      return `[file:hashes.'SHA-512' = ${v}]`;
    case 'asn': {
      const number = Number(item.value.replace(/^AS/i, ''));
      return Number.isInteger(number) && number >= 0 ? `[autonomous-system:number = ${number}]` : undefined;
    }
    default:
      return undefined;
  }
}

/** STIX timestamps: RFC 3339 in UTC with millisecond precision and a `Z`. */
export function stixTimestamp(at: Date): string {
  return at.toISOString();
}

function seenOn(item: CountedIndicator, page: PageExport): string {
  const where = page.url ? ` on ${page.title ? `"${page.title}" (${page.url})` : page.url}` : '';
  const times = item.count === 1 ? 'once' : `${item.count} times`;
  const scope = item.scope && item.scope !== 'public' ? ` Address scope: ${item.scope}.` : '';
  return `Seen ${times}${where}, exported by Riposte.${scope}`;
}

export async function indicatorsToStixBundle(page: PageExport): Promise<StixExport> {
  const now = stixTimestamp(page.at);
  const identity: StixIdentity = {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${await uuidV5('identity:Riposte')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: 'Riposte',
    identity_class: 'system',
  };
  const objects: StixBundle['objects'] = [identity];
  const skipped: StixExport['skipped'] = {};
  const seen = new Set<string>();
  for (const item of page.indicators) {
    if (item.type === 'cve') {
      const cve = item.value.toUpperCase();
      const id = `vulnerability--${await uuidV5(`vulnerability:${cve}`)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      objects.push({
        type: 'vulnerability',
        spec_version: '2.1',
        id,
        created_by_ref: identity.id,
        created: now,
        modified: now,
        name: cve,
        description: seenOn(item, page),
        external_references: [
          { source_name: 'cve', external_id: cve, url: `https://www.cve.org/CVERecord?id=${cve}` },
        ],
      });
      continue;
    }
    const pattern = stixPattern(item);
    if (!pattern) {
      if (item.type === 'btc') skipped.btc = (skipped.btc ?? 0) + 1;
      continue;
    }
    const id = `indicator--${await uuidV5(`indicator:${pattern}`)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created_by_ref: identity.id,
      created: now,
      modified: now,
      name: `${item.type} ${item.value}`,
      description: seenOn(item, page),
      indicator_types: ['unknown'],
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: now,
    });
  }
  const bundleId = `bundle--${await uuidV5(`bundle:${page.url}\n${now}\n${[...seen].sort().join('\n')}`)}`;
  return { bundle: { type: 'bundle', id: bundleId, objects }, skipped };
}
