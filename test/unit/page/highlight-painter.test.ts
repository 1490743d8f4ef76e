import { describe, expect, it } from 'vitest';
import type { IndicatorFamily } from '../../../lib/detect/types';
import { HighlightPainter, type PaintedRange } from '../../../lib/page/highlight-painter';
import type { HighlightSink } from '../../../lib/page/highlight-sink';

function fakeSink() {
  const registered = new Set<AbstractRange>();
  let changes = 0;
  const sink: HighlightSink = {
    add: (_f, r) => {
      changes++;
      registered.add(r);
    },
    delete: (_f, r) => {
      changes++;
      registered.delete(r);
    },
    clear: () => registered.clear(),
    flash: () => undefined,
  };
  return { sink, registered, changes: () => changes };
}

/** Stand-ins for elements and ranges: the painter only uses their identity. */
const element = (name: string) => ({ name }) as unknown as Element;
const item = (el: Element | null, family: IndicatorFamily = 'network'): PaintedRange => ({
  family,
  range: {} as AbstractRange,
  element: el,
});

describe('HighlightPainter', () => {
  it('buffers changes until commit, and a range shown then hidden before it costs nothing', () => {
    const { sink, registered, changes } = fakeSink();
    const painter = new HighlightPainter(sink);
    const a = item(null);
    const b = item(null);
    painter.show(a);
    painter.show(b);
    painter.hide(b);
    expect(registered.size).toBe(0);
    painter.commit();
    expect([...registered]).toEqual([a.range]);
    expect(changes()).toBe(1);
  });

  it('past the threshold registers only chunks of ranges whose first or last element is near the viewport', () => {
    const { sink, registered } = fakeSink();
    let notify: (entries: { target: Element; isIntersecting: boolean }[]) => void = () => undefined;
    const observed = new Set<Element>();
    const painter = new HighlightPainter(sink, {
      virtualizeAt: 3,
      createObserver: (callback) => {
        notify = callback;
        return {
          observe: (t) => observed.add(t),
          unobserve: (t) => observed.delete(t),
          disconnect: () => observed.clear(),
        };
      },
    });
    const rows = Array.from({ length: 40 }, (_, i) => element(`r${i}`));
    const items = rows.map((row) => item(row));
    for (const i of items) painter.show(i);
    painter.commit();
    expect(painter.virtualized).toBe(true);
    expect(registered.size).toBe(0);
    // Two chunks (32 + 8 ranges), each watched through its first and last element.
    expect([...observed]).toEqual([rows[0], rows[31], rows[32], rows[39]]);

    notify([{ target: rows[32] as Element, isIntersecting: true }]);
    expect(new Set(registered)).toEqual(new Set(items.slice(32).map((i) => i.range)));

    notify([
      { target: rows[32] as Element, isIntersecting: false },
      { target: rows[31] as Element, isIntersecting: true },
    ]);
    expect(registered.size).toBe(32);
    expect(registered.has(items[0]?.range as AbstractRange)).toBe(true);

    for (const i of items.slice(32)) painter.hide(i);
    painter.commit();
    expect(observed.has(rows[32] as Element)).toBe(false);
    expect(painter.size).toBe(32);
  });
});
