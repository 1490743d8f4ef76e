/**
 * Table-driven checks per indicator type: what an analyst pastes or sees in a console, and what Riposte must mark.
 * Each row is [text, expected [type, value] pairs in order].
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/detect/index.ts';

type Row = [string, [string, string][]];

function pairs(text: string): [string, string][] {
  return detect(text).map((i) => [i.type, i.value]);
}

function table(name: string, rows: Row[]) {
  describe(name, () => {
    it.each(rows)('%s', (text, expected) => {
      expect(pairs(text)).toEqual(expected);
    });
  });
}

table('ipv4', [
  [
    'src=8.8.8.8 dst=10.1.2.3',
    [
      ['ipv4', '8.8.8.8'],
      ['ipv4', '10.1.2.3'],
    ],
  ],
  ['Connect to 1.2.3.4.', [['ipv4', '1.2.3.4']]],
  ['1.2.3.4:443', [['ipv4', '1.2.3.4']]],
  ['(203.0.113.7)', [['ipv4', '203.0.113.7']]],
  [
    '0.0.0.0 255.255.255.255',
    [
      ['ipv4', '0.0.0.0'],
      ['ipv4', '255.255.255.255'],
    ],
  ],
  [
    'range 10.0.0.1-10.0.0.255',
    [
      ['ipv4', '10.0.0.1'],
      ['ipv4', '10.0.0.255'],
    ],
  ],
  ['"ip":"192.168.0.1"', [['ipv4', '192.168.0.1']]],
]);

describe('ipv4 scope', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.2', 'documentation'],
    ['203.0.113.3', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['0.0.0.0', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('%s is %s', (ip, scope) => {
    expect(detect(ip)).toEqual([{ type: 'ipv4', value: ip, start: 0, end: ip.length, scope }]);
  });
});

table('ipv6', [
  ['fe80::1', [['ipv6', 'fe80::1']]],
  ['2001:DB8:0:0:0:0:0:1', [['ipv6', '2001:db8::1']]],
  ['2001:0db8:0000:0000:0001:0000:0000:0001', [['ipv6', '2001:db8::1:0:0:1']]],
  ['2001:db8:0:1:1:1:1:1', [['ipv6', '2001:db8:0:1:1:1:1:1']]],
  ['::1', [['ipv6', '::1']]],
  ['addr ::ffff:192.0.2.128 mapped', [['ipv6', '::ffff:192.0.2.128']]],
  ['::FFFF:C000:0280', [['ipv6', '::ffff:192.0.2.128']]],
  ['64:ff9b::203.0.113.5', [['ipv6', '64:ff9b::203.0.113.5']]],
  ['[2606:4700:4700::1111]:443', [['ipv6', '2606:4700:4700::1111']]],
  ['2001:db8::', [['ipv6', '2001:db8::']]],
  ['to 2001:db8::1.', [['ipv6', '2001:db8::1']]],
]);

describe('ipv6 scope', () => {
  it.each([
    ['2606:4700:4700::1111', 'public'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:10.0.0.1', 'private'],
  ])('%s is %s', (ip, scope) => {
    expect(detect(ip)[0]?.scope).toBe(scope);
  });
});

table('cidr', [
  ['10.0.0.0/8', [['cidr', '10.0.0.0/8']]],
  [
    'block 192.168.0.0/16, 203.0.113.0/24.',
    [
      ['cidr', '192.168.0.0/16'],
      ['cidr', '203.0.113.0/24'],
    ],
  ],
  ['2001:db8::/32', [['cidr', '2001:db8::/32']]],
  ['2001:DB8:0::/48', [['cidr', '2001:db8::/48']]],
  ['10.0.0.0/33', [['ipv4', '10.0.0.0']]],
  ['date 1.2.3.4/12/2024', [['ipv4', '1.2.3.4']]],
]);

table('domain', [
  ['resolve evil.com now', [['domain', 'evil.com']]],
  ['www.atmarkit.co.jp', [['domain', 'www.atmarkit.co.jp']]],
  ['Beacon to Update.Microsoft-Cdn.NET.', [['domain', 'update.microsoft-cdn.net']]],
  ['bbc.co.uk and co.uk', [['domain', 'bbc.co.uk']]],
  ['_dmarc.example.com', [['domain', '_dmarc.example.com']]],
  ['*.evil.org', [['domain', 'evil.org']]],
  ['xn--mnchen-3ya.de', [['domain', 'xn--mnchen-3ya.de']]],
  ['münchen.de', [['domain', 'münchen.de']]],
  ['例え.jp', [['domain', '例え.jp']]],
  ['пример.рф', [['domain', 'пример.рф']]],
  ['C2は evil.com です', [['domain', 'evil.com']]],
  ['接続先はevil.comに', [['domain', 'evil.com']]],
  ['foo.local bar.internal', []],
  ['1password.com', [['domain', '1password.com']]],
]);

table('url', [
  ['http://evil.com', [['url', 'http://evil.com']]],
  ['GET https://evil.com/a/b.php?x=1&y=2#frag HTTP/1.1', [['url', 'https://evil.com/a/b.php?x=1&y=2#frag']]],
  ['HTTPS://Evil.COM/Path/To', [['url', 'https://evil.com/Path/To']]],
  ['ftp://files.example.org/pub/x.zip', [['url', 'ftp://files.example.org/pub/x.zip']]],
  ['sftp://user@host.example.net:2222/x', [['url', 'sftp://user@host.example.net:2222/x']]],
  ['http://1.2.3.4:8080/gate.php', [['url', 'http://1.2.3.4:8080/gate.php']]],
  ['http://[2001:db8::1]/x', [['url', 'http://[2001:db8::1]/x']]],
  ['http://localhost:3000/', [['url', 'http://localhost:3000/']]],
  ['(see https://example.com/page).', [['url', 'https://example.com/page']]],
  ['https://en.wikipedia.org/wiki/Foo_(bar)', [['url', 'https://en.wikipedia.org/wiki/Foo_(bar)']]],
  ['[https://example.com/a]', [['url', 'https://example.com/a']]],
  ['"https://example.com/a?b=c"', [['url', 'https://example.com/a?b=c']]],
  ["url='http://evil.com/x'", [['url', 'http://evil.com/x']]],
  [
    'Visit https://example.com/a, then https://example.com/b; ok?',
    [
      ['url', 'https://example.com/a'],
      ['url', 'https://example.com/b'],
    ],
  ],
  ['<a href="http://evil.com/x">', [['url', 'http://evil.com/x']]],
  ['http://evil.zip/payload', [['url', 'http://evil.zip/payload']]],
]);

table('email', [
  ['mail from John.Smith@Example.COM today', [['email', 'john.smith@example.com']]],
  ['alerts+soc@evil.co.uk', [['email', 'alerts+soc@evil.co.uk']]],
  ['<phish@evil.zip>', [['email', 'phish@evil.zip']]],
  ['mailto:a_b-c@evil.org', [['email', 'a_b-c@evil.org']]],
  ['user@localhost', []],
  ['@evil.com handle', [['domain', 'evil.com']]],
]);

table('hashes', [
  ['md5 D41D8CD98F00B204E9800998ECF8427E', [['md5', 'd41d8cd98f00b204e9800998ecf8427e']]],
  ['sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709', [['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709']]],
  [
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    [['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
  ],
  [
    'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    [
      [
        'sha512',
        'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
      ],
    ],
  ],
  [
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.exe',
    [['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
  ],
  ['"md5":"d41d8cd98f00b204e9800998ecf8427e"', [['md5', 'd41d8cd98f00b204e9800998ecf8427e']]],
]);

table('cve', [
  ['CVE-2021-44228', [['cve', 'CVE-2021-44228']]],
  [
    'cve-2023-4863 and CVE-2024-123456',
    [
      ['cve', 'CVE-2023-4863'],
      ['cve', 'CVE-2024-123456'],
    ],
  ],
  ['CVE-2021-442', []],
  ['CVE-21-44228', []],
]);

table('asn', [
  ['AS13335 (Cloudflare)', [['asn', 'AS13335']]],
  ['origin AS4200000000', [['asn', 'AS4200000000']]],
  ['AS4294967296', []],
  ['as far as 12', []],
  ['AS', []],
]);

table('btc', [
  ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', [['btc', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']]],
  ['pay 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy now', [['btc', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy']]],
  ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', [['btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']]],
  ['BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', [['btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']]],
  [
    'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
    [['btc', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297']],
  ],
]);

table('attack and d3fend ids', [
  ['T1059', [['attack_technique', 'T1059']]],
  ['T1059.001', [['attack_technique', 'T1059.001']]],
  ['(t1566.002)', [['attack_technique', 'T1566.002']]],
  ['TA0002', [['attack_tactic', 'TA0002']]],
  ['G0016', [['attack_group', 'G0016']]],
  ['S0002', [['attack_software', 'S0002']]],
  ['M1036', [['attack_mitigation', 'M1036']]],
  ['C0024', [['attack_campaign', 'C0024']]],
  ['D3-PSA', [['d3fend_technique', 'D3-PSA']]],
  ['d3-anci', [['d3fend_technique', 'D3-ANCI']]],
  [
    'T1059.001/T1059.003, T1105.',
    [
      ['attack_technique', 'T1059.001'],
      ['attack_technique', 'T1059.003'],
      ['attack_technique', 'T1105'],
    ],
  ],
]);

describe('offsets', () => {
  it('start/end are UTF-16 offsets into the text as written, end exclusive', () => {
    const text = '😀 évil 1.2.3.4 then evil[.]com';
    for (const i of detect(text)) {
      const written = text.slice(i.start, i.end);
      expect(written.length).toBe(i.end - i.start);
    }
    expect(detect(text).map((i) => text.slice(i.start, i.end))).toEqual(['1.2.3.4', 'evil[.]com']);
    expect(detect(text)[0]?.start).toBe(8);
  });

  it('results are sorted by start and do not overlap', () => {
    const text =
      'x john@evil.com http://a.evil.com/1.2.3.4 T1059 1.2.3.4 d41d8cd98f00b204e9800998ecf8427e evil[.]org AS1 CVE-2020-0001';
    const found = detect(text);
    for (let k = 1; k < found.length; k++) {
      expect((found[k] as { start: number }).start).toBeGreaterThanOrEqual(
        (found[k - 1] as { end: number }).end,
      );
    }
    expect(found.length).toBe(8);
  });
});
