/**
 * Where `detect` collects indicators: in chunks of CHUNK, joined once at the end. A single growing array becomes a
 * large old-space object after a few thousand entries, and from then on every push of a freshly allocated indicator
 * goes through the write barrier (an old-to-new pointer to remember, and a marking step whenever the collector is
 * marking); a short chunk is still young while it fills, so its stores need no barrier, and the final `concat`
 * copies the chunks in bulk.
 */
import type { Indicator } from './types.ts';

const CHUNK = 2048;

export class Sink {
  private chunk: Indicator[] = [];
  private readonly full: Indicator[][] = [];

  add(indicator: Indicator): void {
    const chunk = this.chunk;
    chunk.push(indicator);
    if (chunk.length === CHUNK) {
      this.full.push(chunk);
      this.chunk = [];
    }
  }

  /** Drop the indicators collected last whose span ends after `start` (they lie inside a longer match). */
  dropEndingAfter(start: number): void {
    for (;;) {
      if (this.chunk.length === 0) {
        const previous = this.full.pop();
        if (previous === undefined) return;
        this.chunk = previous;
      }
      if ((this.chunk[this.chunk.length - 1] as Indicator).end <= start) return;
      this.chunk.pop();
    }
  }

  /** Everything collected, in order. */
  toArray(): Indicator[] {
    if (this.full.length === 0) return this.chunk;
    return ([] as Indicator[]).concat(...this.full, this.chunk);
  }
}
