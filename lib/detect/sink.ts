/**
 * Where `detect` collects indicators: in chunks of CHUNK, joined once at the end. A single growing array becomes a
 * large old-space object after a few thousand entries, and from then on every push of a freshly allocated indicator
 * goes through the write barrier (an old-to-new pointer to remember, and a marking step whenever the collector is
 * marking); a short chunk is still young while it fills, so its stores need no barrier, and the final `concat`
 * copies the chunks in bulk. The first chunk grows as it fills (most calls, a page's text block, find a handful);
 * the later ones are allocated at their full size: grown from empty, a chunk is copied eleven times on the way to
 * 2048 entries, about 30 bytes of garbage per indicator.
 */
import type { Indicator } from './types.ts';

const CHUNK = 2048;

export class Sink {
  private chunk: Indicator[] = [];
  private used = 0;
  private readonly full: Indicator[][] = [];

  add(indicator: Indicator): void {
    this.chunk[this.used++] = indicator;
    if (this.used === CHUNK) {
      this.full.push(this.chunk);
      this.chunk = new Array(CHUNK);
      this.used = 0;
    }
  }

  /** Drop the indicators collected last whose span ends after `start` (they lie inside a longer match). */
  dropEndingAfter(start: number): void {
    for (;;) {
      if (this.used === 0) {
        const previous = this.full.pop();
        if (previous === undefined) return;
        this.chunk = previous;
        this.used = CHUNK;
      }
      if ((this.chunk[this.used - 1] as Indicator).end <= start) return;
      this.used--;
    }
  }

  /** Everything collected, in order. */
  toArray(): Indicator[] {
    const last = this.chunk.length === this.used ? this.chunk : this.chunk.slice(0, this.used);
    if (this.full.length === 0) return last;
    return ([] as Indicator[]).concat(...this.full, last);
  }
}
