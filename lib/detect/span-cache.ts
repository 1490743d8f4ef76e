/**
 * A direct-mapped cache keyed by a span of the scanned text, looked up without slicing the text: the key's hash is
 * computed over the span's code units and a hit is confirmed with `startsWith` at the span's offset. The same
 * domain or address seen 10,000 times in a SIEM table costs one validation and shares one value string.
 * Bounded: a colliding entry simply replaces the older one.
 */
export class SpanCache<V> {
  private readonly keys: (string | undefined)[];
  private readonly values: (V | undefined)[];
  private readonly mask: number;

  constructor(bits = 14) {
    this.keys = new Array(1 << bits).fill(undefined);
    this.values = new Array(1 << bits).fill(undefined);
    this.mask = (1 << bits) - 1;
  }

  private slot(text: string, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** The value stored for `text.slice(s, e)`, or undefined. `slot` is reused by `set` when given back. */
  get(text: string, s: number, e: number): V | undefined {
    const i = this.slot(text, s, e);
    this.lastSlot = i;
    const key = this.keys[i];
    return key !== undefined && key.length === e - s && text.startsWith(key, s) ? this.values[i] : undefined;
  }

  /** Store `value` for the span last passed to `get`. */
  setLast(key: string, value: V): V {
    this.keys[this.lastSlot] = key;
    this.values[this.lastSlot] = value;
    return value;
  }

  private lastSlot = 0;
}
