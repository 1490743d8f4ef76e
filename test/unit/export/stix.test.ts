import { describe, expect, it } from 'vitest';
import { indicatorsToStixBundle, patternString, stixPattern } from '../../../lib/export/stix';
import type { CountedIndicator } from '../../../lib/messaging/schemas';
import { StixBundleSchema } from './stix-schema';

const at = new Date('2026-11-28T01:42:07.123Z');
const indicators: CountedIndicator[] = [
  { type: 'ipv4', value: '198.51.100.23', count: 2 },
  { type: 'ipv4', value: '10.20.4.31', count: 5, scope: 'private' },
  { type: 'ipv6', value: '2001:db8:85a3::8a2e:370:7334', count: 1 },
  { type: 'cidr', value: '192.0.2.0/24', count: 1 },
  { type: 'domain', value: 'c2.badcdn.net', count: 1 },
  { type: 'url', value: "https://x.example/it's\\here", count: 1 },
  { type: 'email', value: 'billing@invoices-secure-payments.com', count: 1 },
  { type: 'md5', value: '5f4dcc3b5aa765d61d8327deb882cf99', count: 1 },
  { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', count: 1 },
  { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', count: 1 },
  { type: 'asn', value: 'AS13335', count: 1 },
  { type: 'cve', value: 'CVE-2023-23397', count: 1 },
  { type: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', count: 1 },
  { type: 'attack_technique', value: 'T1059.001', count: 1 },
];

describe('stixPattern', () => {
  it('writes the STIX 2.1 pattern of each observable type', () => {
    const p = (type: CountedIndicator['type'], value: string) => stixPattern({ type, value });
    expect(p('ipv4', '1.2.3.4')).toBe("[ipv4-addr:value = '1.2.3.4']");
    expect(p('ipv6', '2001:db8::1')).toBe("[ipv6-addr:value = '2001:db8::1']");
    expect(p('cidr', '2001:db8::/32')).toBe("[ipv6-addr:value = '2001:db8::/32']");
    expect(p('domain', 'a.example')).toBe("[domain-name:value = 'a.example']");
    expect(p('email', 'a@b.example')).toBe("[email-addr:value = 'a@b.example']");
    expect(p('md5', 'ab')).toBe("[file:hashes.MD5 = 'ab']");
    expect(p('sha256', 'ab')).toBe("[file:hashes.'SHA-256' = 'ab']");
    expect(p('sha512', 'ab')).toBe("[file:hashes.'SHA-512' = 'ab']");
    expect(p('asn', 'AS13335')).toBe('[autonomous-system:number = 13335]');
    expect(p('btc', 'bc1q')).toBeUndefined();
    expect(p('attack_technique', 'T1059')).toBeUndefined();
  });

  it('escapes quotes and backslashes so page text cannot break out of the literal', () => {
    expect(patternString("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(stixPattern({ type: 'url', value: "http://x/' OR 1=1]" })).toBe(
      "[url:value = 'http://x/\\' OR 1=1]']",
    );
  });
});

describe('indicatorsToStixBundle', () => {
  it('produces a valid STIX 2.1 bundle: one indicator per observable, CVEs as vulnerabilities', async () => {
    const { bundle, skipped } = await indicatorsToStixBundle({
      url: 'https://siem.example/alert/42',
      title: 'Alert 42',
      at,
      indicators,
    });
    const parsed = StixBundleSchema.safeParse(bundle);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const byType = (t: string) => bundle.objects.filter((o) => o.type === t);
    expect(byType('indicator')).toHaveLength(11);
    expect(byType('vulnerability').map((o) => o.name)).toEqual(['CVE-2023-23397']);
    expect(byType('identity')).toHaveLength(1);
    expect(skipped).toEqual({ btc: 1 });
    const ip = bundle.objects.find((o) => o.type === 'indicator' && o.pattern.includes('198.51.100.23'));
    expect(ip).toMatchObject({ valid_from: '2026-11-28T01:42:07.123Z', pattern_type: 'stix' });
    expect(ip && 'description' in ip ? ip.description : '').toContain('2 times on "Alert 42"');
    const priv = bundle.objects.find((o) => o.type === 'indicator' && o.pattern.includes('10.20.4.31'));
    expect(priv && 'description' in priv ? priv.description : '').toContain('Address scope: private');
  });

  it('gives the same ids for the same indicators, whatever the order', async () => {
    const a = await indicatorsToStixBundle({ url: 'u', title: '', at, indicators });
    const b = await indicatorsToStixBundle({
      url: 'u',
      title: '',
      at,
      indicators: [...indicators].reverse(),
    });
    expect(new Set(a.bundle.objects.map((o) => o.id))).toEqual(new Set(b.bundle.objects.map((o) => o.id)));
    expect(a.bundle.id).toBe(b.bundle.id);
  });

  it('the validator itself rejects a broken pattern and a bad timestamp', () => {
    const broken = {
      type: 'bundle',
      id: 'bundle--2ed6657d-e927-568b-95e1-2665a8aea6a2',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--2ed6657d-e927-568b-95e1-2665a8aea6a2',
          created_by_ref: 'identity--2ed6657d-e927-568b-95e1-2665a8aea6a2',
          created: '2026-11-28 01:42',
          modified: '2026-11-28T01:42:07Z',
          pattern: "[ipv4-addr:value = '1.2.3.4'",
          pattern_type: 'stix',
          valid_from: '2026-11-28T01:42:07Z',
        },
      ],
    };
    expect(StixBundleSchema.safeParse(broken).success).toBe(false);
  });
});
