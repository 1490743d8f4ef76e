/**
 * Log timestamps are skipped in one step (lib/detect/timestamp.ts): the indicators around them are still found, and
 * anything that only looks like the start of a timestamp is read by the ordinary rules.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/detect/index.ts';
import { timestampEnd } from '../../../lib/detect/timestamp.ts';

const pairs = (text: string) => detect(text).map((i) => [i.type, i.value, text.slice(i.start, i.end)]);

describe('timestampEnd', () => {
  it.each([
    ['2024-04-24T23:06:41.000Z', 24],
    ['2024-04-24T23:06:41Z', 20],
    ['2024-04-24t23:06:41+02:00', 25],
    ['2024-04-24T23:06:41-0500', 24],
    ['2024-04-24T23:06+01', 19],
    ['2024-04-24 23:06:41,123', 23],
    ['2024-04-24', 10],
    ['23:06:41', 8],
    ['23:06:41.123456', 15],
  ])('%s is one step of %d characters', (stamp, length) => {
    expect(timestampEnd(`${stamp} next`, 0)).toBe(length);
  });

  it.each([
    '2024-04-24.evil.com', // more host characters: a name
    '2024-04-24T', // a date glued to a letter
    '2024-04-24T1059', // …or to a word
    '12:34:56::1', // another colon: an IPv6 address
    '23:06', // a time without seconds, alone
    '2024-4-24', // not ISO
    '20240424',
  ])('%s is not a timestamp', (text) => {
    expect(timestampEnd(`${text} next`, 0)).toBe(-1);
  });
});

describe('detect around timestamps', () => {
  it('finds what a log row holds, and nothing in its timestamp', () => {
    expect(pairs('2024-04-24T23:06:41.000Z fw01 src=10.1.2.3 dst=evil.com')).toEqual([
      ['ipv4', '10.1.2.3', '10.1.2.3'],
      ['domain', 'evil.com', 'evil.com'],
    ]);
    expect(pairs('Apr 24 23:06:41 host sshd[1234]: from 203.0.113.9')).toEqual([
      ['ipv4', '203.0.113.9', '203.0.113.9'],
    ]);
    expect(pairs('2024-04-24 23:06:41,123+02:00 T1059.001 seen')).toEqual([
      ['attack_technique', 'T1059.001', 'T1059.001'],
    ]);
  });

  it('leaves look-alikes to the ordinary rules', () => {
    expect(pairs('12:34:56::1 and 2024-04-24.evil.com and CVE-2024-12345')).toEqual([
      ['ipv6', '12:34:56::1', '12:34:56::1'],
      ['domain', '2024-04-24.evil.com', '2024-04-24.evil.com'],
      ['cve', 'CVE-2024-12345', 'CVE-2024-12345'],
    ]);
  });
});
