/**
 * Linear time on adversarial input: one test per pathological shape, about 1 MB each. The assertion is that the
 * scan completes (within a generous timeout, not a timing number) and that the output is right.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/detect/index.ts';

const MB = 1_000_000;
const TIMEOUT = 5_000;

function repeat(unit: string, total = MB): string {
  return unit.repeat(Math.ceil(total / unit.length));
}

describe('pathological inputs finish and stay correct', () => {
  it(
    '1 MB of a.a.a.',
    () => {
      expect(detect(repeat('a.'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'a.a.a. chain ending in a real TLD is too long to be a host name',
    () => {
      expect(detect(`${repeat('a.')}com`)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'one endless hex run',
    () => {
      expect(detect(repeat('0123456789abcdef'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'hex runs of every near-hash length separated by spaces',
    () => {
      const text = repeat(`${'a'.repeat(31)} ${'b'.repeat(33)} ${'c'.repeat(63)} `);
      expect(detect(text)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'repeated http:// with nothing after',
    () => {
      expect(detect(repeat('http://'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'repeated http://http://a.com',
    () => {
      const found = detect(repeat('http://http://a.com '));
      expect(found.length).toBeGreaterThan(1000);
      expect(new Set(found.map((i) => `${i.type} ${i.value}`))).toEqual(new Set(['url http://a.com']));
    },
    TIMEOUT,
  );

  it(
    'long dotted numbers',
    () => {
      expect(detect(repeat('1.'))).toEqual([]);
      expect(detect(repeat('255.255.255.255.'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'long [.] chains',
    () => {
      expect(detect(repeat('a[.]'))).toEqual([]);
      expect(detect(repeat('1[.]'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'endless colons and hex (IPv6-ish)',
    () => {
      expect(detect(repeat('1:'))).toEqual([]);
      expect(detect(repeat('ff::'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    '1 MB without spaces, indicators glued by punctuation',
    () => {
      const unit = 'x|evil.com|1.2.3.4;T1059,';
      const text = repeat(unit);
      const found = detect(text);
      const copies = Math.ceil(MB / unit.length);
      expect(found.length).toBe(copies * 3);
      expect(found.slice(0, 3).map((i) => i.value)).toEqual(['evil.com', '1.2.3.4', 'T1059']);
    },
    TIMEOUT,
  );

  it(
    '1 MB of one letter',
    () => {
      expect(detect('a'.repeat(MB))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'email-like local parts that never reach a domain',
    () => {
      expect(detect(repeat('a+'))).toEqual([]);
      expect(detect(repeat('a.b@'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'unbalanced brackets after a URL',
    () => {
      const text = `http://evil.com/${'('.repeat(MB / 2)}${')'.repeat(MB / 2)}`;
      expect(detect(text).map((i) => i.type)).toEqual(['url']);
    },
    TIMEOUT,
  );
  it(
    'defanged dots between spaces: one endless spaced chain, and a long word before a mark that leads nowhere',
    () => {
      // One run of 1 MB: far longer than any host name, so nothing.
      expect(detect(repeat('ab [.] '))).toEqual([]);
      // Each mark makes the scanner look back over the word before it, once.
      expect(detect(`${repeat('a')} [.] `)).toEqual([]);
      expect(detect(repeat('word [.] ! '))).toEqual([]);
    },
    TIMEOUT,
  );
});
