/**
 * Defanged indicators: every variant from issue 3 and mixes of them are found, refanged in `value`, with `start` /
 * `end` covering the text as written. Plus the `refang` and `defang` helpers other contexts use.
 */
import { describe, expect, it } from 'vitest';
import { defang, detect, refang } from '../../../lib/detect/index.ts';

function found(text: string) {
  return detect(text).map((i) => ({
    type: i.type,
    value: i.value,
    written: text.slice(i.start, i.end),
    defanged: i.defanged,
  }));
}

describe('defanged dots', () => {
  it.each(['[.]', '(.)', '{.}', '[dot]', '(dot)', '{dot}', '[DOT]', '\\.'])('evil%scom', (mark) => {
    const text = `see evil${mark}com now`;
    expect(found(text)).toEqual([
      { type: 'domain', value: 'evil.com', written: `evil${mark}com`, defanged: true },
    ]);
  });

  it.each(['[.]', '(.)', '{.}', '[dot]', '(dot)', '\\.'])('IPv4 1.2.3%s4', (mark) => {
    const text = `c2 1.2.3${mark}4 seen`;
    expect(found(text)).toEqual([
      { type: 'ipv4', value: '1.2.3.4', written: `1.2.3${mark}4`, defanged: true },
    ]);
  });

  it('every dot defanged', () => {
    expect(found('192[.]168[.]1[.]1')).toEqual([
      { type: 'ipv4', value: '192.168.1.1', written: '192[.]168[.]1[.]1', defanged: true },
    ]);
  });

  it('defanged CIDR', () => {
    expect(found('10[.]0[.]0[.]0/8')).toEqual([
      { type: 'cidr', value: '10.0.0.0/8', written: '10[.]0[.]0[.]0/8', defanged: true },
    ]);
  });
});

describe('defanged dots between spaces, as some reports write them', () => {
  it.each([
    ['evil [.] com', 'domain', 'evil.com'],
    ['evil [dot] com', 'domain', 'evil.com'],
    ['evil (dot) com', 'domain', 'evil.com'],
    ['evil {.} com', 'domain', 'evil.com'],
    ['evil[.] com', 'domain', 'evil.com'],
    ['evil [.]com', 'domain', 'evil.com'],
    ['cdn [.] evil [.] co [.] uk', 'domain', 'cdn.evil.co.uk'],
    ['1.2.3 [.] 4', 'ipv4', '1.2.3.4'],
    ['192 [.] 168 [.] 1 [.] 1', 'ipv4', '192.168.1.1'],
    ['hxxps://evil [.] example [.] com/a', 'url', 'https://evil.example.com/a'],
  ] as const)('%s', (written, type, value) => {
    expect(found(`beacon to ${written} seen`)).toEqual([{ type, value, written, defanged: true }]);
  });

  it('is refanged by refang(text)', () => {
    expect(refang('C2: evil [.] com and 1.2.3 [dot] 4')).toBe('C2: evil.com and 1.2.3.4');
  });

  it.each([
    'matches any character (.) in the pattern',
    'a list [1] item, a note (see below) and {braces} here',
    'end of a sentence [.] ',
    'two spaces  [.]  apart',
    'a backslash \\. after a space',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(detect(text)).toEqual([]);
  });
});

describe('defanged IPv6 colons', () => {
  it.each([
    ['2001[:]db8::1', 'ipv6', '2001:db8::1'],
    ['2001[:]db8[:]85a3[:][:]8a2e[:]370[:]7334', 'ipv6', '2001:db8:85a3::8a2e:370:7334'],
    ['fe80(:)(:)1', 'ipv6', 'fe80::1'],
    ['2001[:]db8::/32', 'cidr', '2001:db8::/32'],
  ] as const)('%s', (written, type, value) => {
    expect(found(`host ${written} seen`)).toEqual([{ type, value, written, defanged: true }]);
  });

  it('never reads the tail after a defanged colon as an address of its own', () => {
    expect(found('x 12[:]34 and [:]db8::1 and 2001(:)zz')).toEqual([]);
  });
});

describe('defanged URLs', () => {
  it.each([
    ['hxxp://evil.com/a', 'http://evil.com/a'],
    ['hXXp://evil.com/a', 'http://evil.com/a'],
    ['HXXPS://evil.com/a', 'https://evil.com/a'],
    ['hxxps://evil.com/a', 'https://evil.com/a'],
    ['http[:]//evil.com/a', 'http://evil.com/a'],
    ['https[://]evil.com/a', 'https://evil.com/a'],
    ['hxxps[:]//evil[.]example[.]com/a', 'https://evil.example.com/a'],
    ['hxxp[://]evil(.)com/path/x[.]php', 'http://evil.com/path/x.php'],
    ['hxxp://1.2.3[.]4:8080/gate', 'http://1.2.3.4:8080/gate'],
    ['hxxps://evil[dot]com', 'https://evil.com'],
    ['fxp://files[.]evil[.]org/x', 'ftp://files.evil.org/x'],
    ['http://evil[.]com', 'http://evil.com'],
  ])('%s', (text, value) => {
    expect(found(`go to ${text} now`)).toEqual([{ type: 'url', value, written: text, defanged: true }]);
  });

  it('a plain URL is not marked defanged', () => {
    expect(detect('https://example.com/a')[0]?.defanged).toBeUndefined();
  });
});

describe('defanged emails', () => {
  it.each([
    ['bob[@]evil.com', 'bob@evil.com'],
    ['bob[at]evil.com', 'bob@evil.com'],
    ['bob(at)evil.com', 'bob@evil.com'],
    ['bob{at}evil.com', 'bob@evil.com'],
    ['bob[AT]evil[.]com', 'bob@evil.com'],
    ['bob@evil[.]com', 'bob@evil.com'],
    ['first[.]last(at)evil(dot)co[.]uk', 'first.last@evil.co.uk'],
  ])('%s', (text, value) => {
    expect(found(`from ${text} today`)).toEqual([{ type: 'email', value, written: text, defanged: true }]);
  });
});

describe('refang(text)', () => {
  it('undoes every mark in free text', () => {
    expect(
      refang('hxxps[:]//evil[.]example(.)com/a and bob[at]evil{.}org, 1.2.3[dot]4, hXXp[://]x\\.io'),
    ).toBe('https://evil.example.com/a and bob@evil.org, 1.2.3.4, http://x.io');
  });
  it('leaves ordinary text alone', () => {
    const text = 'The [at] sign (at) dinner: nothing to see at hxxp without a colon.';
    expect(refang('plain text, no marks: a.b [x] (y)')).toBe('plain text, no marks: a.b [x] (y)');
    expect(refang(text)).toBe('The @ sign @ dinner: nothing to see at hxxp without a colon.');
  });
});

describe('defang(value, type)', () => {
  it.each([
    ['https://evil.com/a.php?x=1.2', 'url', 'hxxps://evil[.]com/a.php?x=1.2'],
    ['http://user@evil.example.com:8080/', 'url', 'hxxp://user@evil[.]example[.]com:8080/'],
    ['ftp://files.evil.org/x', 'url', 'fxp://files[.]evil[.]org/x'],
    ['evil.example.com', 'domain', 'evil[.]example[.]com'],
    ['1.2.3.4', 'ipv4', '1.2.3[.]4'],
    ['10.0.0.0/8', 'cidr', '10.0.0[.]0/8'],
    ['user@evil.com', 'email', 'user[@]evil[.]com'],
    ['2001:db8::1', 'ipv6', '2001[:]db8::1'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['T1059', 'attack_technique', 'T1059'],
  ] as const)('%s (%s)', (value, type, expected) => {
    expect(defang(value, type)).toBe(expected);
  });

  it('round-trips through detect: a defanged value is found again, refanged', () => {
    for (const [value, type] of [
      ['https://evil.com/a', 'url'],
      ['evil.example.com', 'domain'],
      ['1.2.3.4', 'ipv4'],
      ['user@evil.com', 'email'],
      ['2001:db8::1', 'ipv6'],
    ] as const) {
      const again = detect(defang(value, type));
      expect(again.map((i) => [i.type, i.value])).toEqual([[type, value]]);
    }
  });
});
