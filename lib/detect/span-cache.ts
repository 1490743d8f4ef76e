/**
 * A direct-mapped cache keyed by a span of the scanned text, looked up without slicing the text: the key's hash is
 * computed over the span's code units and a hit is confirmed by comparing the span, in place, with the key's code
 * units. The same domain or address seen 10,000 times in a SIEM table costs one validation and shares one value.
 * Bounded: a colliding entry simply replaces the older one.
 *
 * Keys are not kept as strings: a key sliced from a page's text is a sliced string, and reading it back one code
 * unit at a time goes through its parent on every read (measured: that comparison was a quarter of the time of a
 * cached domain). They are copied once, when stored, into one typed array (the arena), and each slot keeps the
 * key's hash, start in the arena and length side by side (one memory read for all three), so a different key in
 * the slot is told apart by the hash without touching the arena at all. When the arena is full, the whole cache
 * starts over.
 */

/** Code units the arena may hold; keys are host names, a few dozen units each. */
const ARENA_LIMIT = 1 << 20;

/** Per slot in `meta`: the key's hash, its start in the arena and its length (-1: empty), side by side. */
const HASH = 0;
const START = 1;
const LENGTH = 2;
const STRIDE = 4;

export class SpanCache<V> {
  private readonly meta: Int32Array;
  private readonly values: (V | undefined)[];
  private readonly mask: number;
  private arena = new Uint16Array(4096);
  private used = 0;
  private lastSlot = 0;
  private lastHash = 0;

  constructor(bits = 14) {
    const size = 1 << bits;
    this.meta = new Int32Array(size * STRIDE);
    this.values = new Array<V | undefined>(size);
    this.mask = size - 1;
    this.forgetAll();
  }

  /** The value stored for `text.slice(s, e)`, or undefined. The slot is remembered for `setLast`. */
  get(text: string, s: number, e: number): V | undefined {
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    const slot = (h ^ (h >>> 15)) & this.mask;
    this.lastSlot = slot;
    this.lastHash = h;
    const at = slot * STRIDE;
    const meta = this.meta;
    if (meta[at + HASH] !== h || meta[at + LENGTH] !== e - s) return undefined;
    const arena = this.arena;
    let p = meta[at + START] as number;
    for (let k = s; k < e; k++, p++) if (arena[p] !== text.charCodeAt(k)) return undefined;
    return this.values[slot];
  }

  /** Store `value` for the span last passed to `get` (`key` is that span's text). */
  setLast(key: string, value: V): V {
    const n = key.length;
    if (n > ARENA_LIMIT) return value;
    if (this.used + n > this.arena.length) this.makeRoom(n);
    const slot = this.lastSlot;
    const arena = this.arena;
    const start = this.used;
    for (let k = 0; k < n; k++) arena[start + k] = key.charCodeAt(k);
    this.used = start + n;
    const at = slot * STRIDE;
    this.meta[at + HASH] = this.lastHash;
    this.meta[at + START] = start;
    this.meta[at + LENGTH] = n;
    this.values[slot] = value;
    return value;
  }

  /** Make room for `n` more code units: past the arena's limit, forget every entry and start over; then grow. */
  private makeRoom(n: number): void {
    if (this.used + n > ARENA_LIMIT) this.forgetAll();
    let size = this.arena.length;
    while (size < this.used + n) size *= 2;
    if (size === this.arena.length) return;
    const grown = new Uint16Array(size);
    grown.set(this.arena.subarray(0, this.used));
    this.arena = grown;
  }

  /** Empty every slot and the arena. */
  private forgetAll(): void {
    for (let at = LENGTH; at < this.meta.length; at += STRIDE) this.meta[at] = -1;
    this.values.fill(undefined);
    this.used = 0;
  }
}
