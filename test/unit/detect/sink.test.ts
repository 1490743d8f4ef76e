import { describe, expect, it } from 'vitest';
import { Sink } from '../../../lib/detect/sink.ts';
import type { Indicator } from '../../../lib/detect/types.ts';

const at = (start: number): Indicator => ({ type: 'ipv4', value: `v${start}`, start, end: start + 1 });

describe('Sink', () => {
  it('returns what it collected in order, across chunks', () => {
    const sink = new Sink();
    for (let k = 0; k < 5000; k++) sink.add(at(k));
    const all = sink.toArray();
    expect(all).toHaveLength(5000);
    expect(all.every((indicator, k) => indicator.start === k)).toBe(true);
  });

  it('drops the last indicators inside a longer match, also back across a chunk boundary', () => {
    const sink = new Sink();
    for (let k = 0; k < 2050; k++) sink.add(at(k));
    sink.dropEndingAfter(2040); // drops 2040..2049: the last two, and eight of the full chunk before them
    sink.add(at(3000));
    const all = sink.toArray();
    expect(all).toHaveLength(2041);
    expect(all.at(-2)?.start).toBe(2039);
    expect(all.at(-1)?.start).toBe(3000);
    expect(all.includes(undefined as unknown as Indicator)).toBe(false);
  });

  it('gives back an empty list when nothing was found', () => {
    expect(new Sink().toArray()).toEqual([]);
  });
});
