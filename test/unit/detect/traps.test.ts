/**
 * Things that look like indicators and are not (and the near misses that are): every trap from issue 3.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/detect/index.ts';

function pairs(text: string): [string, string][] {
  return detect(text).map((i) => [i.type, i.value]);
}

describe('dotted numbers that are not IPv4', () => {
  it.each([
    ['Windows build', 'OS Version 10.0.19041.1 (Build 19041)'],
    ['OID', 'szOID 1.3.6.1.4.1.311.21.7 present'],
    ['version with v', 'agent v2.1.1.108 installed'],
    ['version after word', 'Version=3.10.12.4a'],
    ['dotted date', 'on 12.05.2023 and 2023.05.12'],
    ['dotted date with time', '31.12.2024.23'],
    ['leading-zero octets', 'from 01.02.03.04 and 192.168.001.1'],
    ['octet over 255', '256.1.1.1 and 1.2.3.999'],
    ['five parts', '1.2.3.4.5'],
    ['three parts', '10.0.1'],
    ['section numbers', 'see section 1.2.3.4.1 for details'],
  ])('%s', (_name, text) => {
    expect(pairs(text).filter(([type]) => type === 'ipv4' || type === 'cidr')).toEqual([]);
  });

  it('versions in a User-Agent are not addresses', () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0.0.0 Edg/124.0.0.0';
    expect(pairs(`${ua} Safari/537.36 Version/17.4.1.2`)).toEqual([]);
    expect(pairs(`src=10.1.2.3 "${ua}" dst=/8.8.8.8 path=/hosts/10.0.0.5`)).toEqual([
      ['ipv4', '10.1.2.3'],
      ['ipv4', '8.8.8.8'],
      ['ipv4', '10.0.0.5'],
    ]);
  });
  it('a real address next to them is still found', () => {
    expect(pairs('build 10.0.19041.1 talked to 10.0.0.5.')).toEqual([['ipv4', '10.0.0.5']]);
  });
});

describe('colon-separated things that are not IPv6', () => {
  it.each([
    ['MAC address', 'mac 00:1A:2B:3C:4D:5E'],
    ['MAC lowercase', 'aa:bb:cc:dd:ee:ff'],
    ['time', 'at 12:34:56'],
    ['time with ms', '12:34:56.789'],
    ['ISO timestamp', '2024-04-25T00:13:21.000Z'],
    ['C++ scope', 'std::vector and Foo::Bar'],
    ['ratio', 'ratio 16:9 and 4:3'],
    ['nine groups', '1:2:3:4:5:6:7:8:9'],
    ['two gaps', '1::2::3'],
    ['glued to a word', 'fe80::1g'],
  ])('%s', (_name, text) => {
    expect(pairs(text).filter(([type]) => type === 'ipv6')).toEqual([]);
  });
});

describe('hex that is not a hash', () => {
  it.each([
    ['GUID', '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}'],
    ['GUID without braces', 'id 3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['GUID as 32 digits in braces', '{3F2504E04F8911D39A0C0305E82C3301}'],
    ['0x number', '0xd41d8cd98f00b204e9800998ecf8427e'],
    ['33 hex digits', 'd41d8cd98f00b204e9800998ecf8427e0'],
    ['63 hex digits', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'],
    ['65 hex digits', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555'],
    ['hex glued to letters', 'xd41d8cd98f00b204e9800998ecf8427e'],
    ['hex glued with underscore', 'd41d8cd98f00b204e9800998ecf8427e_x'],
    [
      '32 characters with a letter of another script inside, in Japanese text',
      'あ0123456789abcdef0123456789abcdé1あ',
    ],
  ])('%s', (_name, text) => {
    expect(pairs(text).filter(([type]) => ['md5', 'sha1', 'sha256', 'sha512'].includes(type))).toEqual([]);
  });
});

describe('not bitcoin', () => {
  it.each([
    ['a word of the right shape', '1BoatSLRHtKNngkdXEeobR76b53LETtpyX'],
    ['one changed character', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'],
    ['bech32 with a bad checksum', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx'],
    ['mixed-case bech32', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzWF5MDQ'],
    ['testnet', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'],
    ['a sha1 starting with 1', '1a39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['long number', '3141592653589793238462643383279'],
  ])('%s', (_name, text) => {
    expect(pairs(text).filter(([type]) => type === 'btc')).toEqual([]);
  });

  it('a hash shaped like a wallet is a hash', () => {
    expect(pairs('1a39a3ee5e6b4b0d3255bfef95601890afd80709')).toEqual([
      ['sha1', '1a39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ]);
  });
});

describe('ATT&CK ids on word boundaries', () => {
  it.each([
    ['T1', 'T1'],
    ['T99999', 'T99999'],
    ['T1059.1', 'T1059.1'],
    ['T1059.0011', 'T1059.0011'],
    ['glued prefix', 'XT1059'],
    ['glued suffix', 'T1059a'],
    ['TA with 3 digits', 'TA002'],
    ['G with 5 digits', 'G00160'],
    ['D3 without letters', 'D3-'],
    ['D3 with digits', 'D3-123'],
    ['in a longer token', 'T1059_001'],
  ])('%s', (_name, text) => {
    expect(pairs(text)).toEqual([]);
  });
});

describe('domains are never truncated or invented', () => {
  it.each([
    ['www.atmarkit.co.jp', [['domain', 'www.atmarkit.co.jp']]],
    ['a.b.c.example.co.uk', [['domain', 'a.b.c.example.co.uk']]],
    ['e.g. this, i.e. that', []],
    ['window.location.href', []],
    ['document.cookie', []],
    ['System.Management.Automation', []],
    ['[System.Net.WebClient]', []],
    ['CreateObject("WScript.Shell")', []],
    ['Microsoft.Exchange', []],
    ['host.name user.id process.parent.name', []],
    ['response.data', []],
    ['co.uk', []],
    ['evil.com.', [['domain', 'evil.com']]],
    ['evil-.com', []],
    ['-evil.com', [['domain', 'evil.com']]],
    ['a..b.com', []],
  ] as [string, [string, string][]][])('%s', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });
});

describe('file names vs domains (policy in lib/detect/domain.ts)', () => {
  it.each([
    // A bare name.ext whose extension is also a TLD is a file...
    ['invoice.pdf', []],
    ['svchost.exe', []],
    ['setup.msi', []],
    ['report.docx', []],
    ['main.py', []],
    ['payload.zip', []],
    ['clip.mov', []],
    ['install.sh', []],
    ['run.pl', []],
    ['notes.one', []],
    ['Calc.exe spawned cmd.exe', []],
    // A Windows prefetch file: NAME.EXT-<8 hex>.pf, three labels or not.
    ['C:\\Windows\\Prefetch\\CMD.EXE-4A81B364.pf', []],
    ['prefetch: powershell.exe-022a1004.pf', []],
    // ...unless the context says host.
    ['payload[.]zip', [['domain', 'payload.zip']]],
    ['cdn.payload.zip', [['domain', 'cdn.payload.zip']]],
    ['host=payload.zip', [['domain', 'payload.zip']]],
    ['domain: main.py', [['domain', 'main.py']]],
    ['"dns.question.name":"evil.zip"', [['domain', 'evil.zip']]],
    ['query=install.sh', [['domain', 'install.sh']]],
    ['sni=notes.one', [['domain', 'notes.one']]],
    ['https://payload.zip/x', [['url', 'https://payload.zip/x']]],
    ['admin@payload.zip', [['email', 'admin@payload.zip']]],
    ['hostname=host.name', [['domain', 'host.name']]],
    ['CMD.EXE-4A81B364[.]pf', [['domain', 'cmd.exe-4a81b364.pf']]],
    // A .pf name without the prefetch hash keeps the usual rule (three labels: a host).
    ['cdn.evil-4a81b36.pf', [['domain', 'cdn.evil-4a81b36.pf']]],
    // Extensions that are not TLDs never make a domain.
    ['host=invoice.pdf', []],
  ] as [string, [string, string][]][])('%s', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });
});

describe('overlaps: one indicator per span', () => {
  it('a URL wins over the domain and IP inside it', () => {
    expect(pairs('http://evil.com/1.2.3.4 http://1.2.3.4/evil.com')).toEqual([
      ['url', 'http://evil.com/1.2.3.4'],
      ['url', 'http://1.2.3.4/evil.com'],
    ]);
  });
  it('an email wins over its domain and over what its local part looks like', () => {
    expect(pairs('T1059@evil.com first.last.example.com@evil.org')).toEqual([
      ['email', 't1059@evil.com'],
      ['email', 'first.last.example.com@evil.org'],
    ]);
  });
  it('an email replaces its local part even after thousands of earlier indicators', () => {
    // detect collects results in chunks of 2048: the address in the local part is the 2048th indicator.
    for (const before of [2046, 2047, 2048]) {
      const found = pairs(`${'10.0.0.1 '.repeat(before)}1.2.3.4+x@evil.com`);
      expect(found).toHaveLength(before + 1);
      expect(found[before - 1]).toEqual(['ipv4', '10.0.0.1']);
      expect(found[before]).toEqual(['email', '1.2.3.4+x@evil.com']);
    }
  });
  it('a URL with an email in its query stays one URL', () => {
    expect(pairs('https://evil.com/?u=bob@corp.com')).toEqual([['url', 'https://evil.com/?u=bob@corp.com']]);
  });
  it('a hash wins over a wallet', () => {
    const found = detect('1a39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(found.map((i) => i.type)).toEqual(['sha1']);
  });
  it('a subdomain that looks like a hash stays part of the domain', () => {
    expect(pairs('d41d8cd98f00b204e9800998ecf8427e.evil.com')).toEqual([
      ['domain', 'd41d8cd98f00b204e9800998ecf8427e.evil.com'],
    ]);
  });
});
