import { describe, expect, it } from 'vitest';
import { SpanCache } from '../../../lib/detect/span-cache.ts';

/** Look `key` up as a span of a longer text, storing `value` on a miss; returns what the cache answered. */
function lookup(cache: SpanCache<string>, key: string, value: string): string | undefined {
  const text = `<<${key}>>`;
  const hit = cache.get(text, 2, 2 + key.length);
  if (hit === undefined) cache.setLast(key, value);
  return hit;
}

describe('SpanCache', () => {
  it('answers a span it has stored, compared in place, and nothing for a different span', () => {
    const cache = new SpanCache<string>(8);
    expect(lookup(cache, 'evil.example.com', 'A')).toBeUndefined();
    expect(lookup(cache, 'evil.example.com', 'ignored')).toBe('A');
    expect(lookup(cache, 'evil.example.org', 'B')).toBeUndefined();
    expect(lookup(cache, 'Evil.example.com', 'C')).toBeUndefined(); // case matters: keys are spans as written
    expect(lookup(cache, 'evil.example.org', 'ignored')).toBe('B');
  });

  it('keeps answering correctly when keys collide in a tiny table', () => {
    const cache = new SpanCache<string>(1); // two slots: most keys collide
    const keys = Array.from({ length: 50 }, (_, k) => `host${k}.example.com`);
    for (const key of keys) lookup(cache, key, key.toUpperCase());
    for (const key of keys) {
      const hit = lookup(cache, key, key.toUpperCase());
      if (hit !== undefined) expect(hit).toBe(key.toUpperCase());
    }
    expect(lookup(cache, keys[49] as string, 'x')).toBe((keys[49] as string).toUpperCase());
  });

  it('starts over when its key storage is full, without answering with a stale key', () => {
    const cache = new SpanCache<string>(16);
    // 1.4 M code units of distinct keys: past the arena's limit of 1 M, so the cache starts over at least once; read
    // back newest first, the keys stored since then are found and the older ones are not confused with them.
    const keys = Array.from({ length: 30_000 }, (_, k) => `${'a'.repeat(30)}-${k}.example.com`);
    for (const key of keys) lookup(cache, key, `v:${key}`);
    let hits = 0;
    for (const key of [...keys].reverse()) {
      const hit = lookup(cache, key, `v:${key}`);
      if (hit !== undefined) {
        hits++;
        expect(hit).toBe(`v:${key}`);
      }
    }
    expect(hits).toBeGreaterThan(0);
    expect(lookup(cache, 'never.seen.example', 'n')).toBeUndefined();
  });
});
