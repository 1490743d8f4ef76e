/**
 * The per-page work budget: what keeps a runaway page (a 50 MB log dump, a ticker rewriting itself forever) from
 * costing the analyst their browser. Pure bookkeeping; the scanner asks it how long to wait and whether to go on.
 *
 * - Characters: at most `maxChars` are read per page state (reset on navigation). Past that, nothing new is
 *   scanned; what is highlighted stays, removed text still drops its highlights.
 * - Highlights: at most `maxHits` ranges.
 * - Duty cycle: when the scanner has been busy more than `maxBusyShare` of the last `windowMs`, the next slice
 *   waits, doubling the wait while the pressure lasts (up to `maxDelayMs`), so endless mutations cost a bounded
 *   share of the main thread.
 */
export interface WorkBudgetOptions {
  maxChars: number;
  maxHits: number;
  windowMs: number;
  maxBusyShare: number;
  maxDelayMs: number;
}

export const DEFAULT_BUDGET: WorkBudgetOptions = {
  maxChars: 24_000_000,
  maxHits: 100_000,
  windowMs: 1000,
  maxBusyShare: 0.4,
  maxDelayMs: 4000,
};

export class WorkBudget {
  chars = 0;
  busyMs = 0;
  private slices: { at: number; ms: number }[] = [];
  private backoff = 0;

  constructor(readonly options: WorkBudgetOptions = DEFAULT_BUDGET) {}

  /** Records a slice of work that ended at `now`. */
  spend(chars: number, ms: number, now: number): void {
    this.chars += chars;
    this.busyMs += ms;
    this.slices.push({ at: now, ms });
    const from = now - this.options.windowMs;
    let drop = 0;
    while (drop < this.slices.length && (this.slices[drop] as { at: number }).at < from) drop++;
    if (drop > 0) this.slices.splice(0, drop);
  }

  get charsExhausted(): boolean {
    return this.chars >= this.options.maxChars;
  }

  hitsExhausted(hits: number): boolean {
    return hits >= this.options.maxHits;
  }

  /** Busy milliseconds within the window ending at `now`. */
  recentBusy(now: number): number {
    const from = now - this.options.windowMs;
    let sum = 0;
    for (const slice of this.slices) if (slice.at >= from) sum += slice.ms;
    return sum;
  }

  /** How long to wait before the next slice (0: go on now). */
  delayBeforeNext(now: number): number {
    const limit = this.options.windowMs * this.options.maxBusyShare;
    if (this.recentBusy(now) <= limit) {
      this.backoff = 0;
      return 0;
    }
    this.backoff = this.backoff === 0 ? 50 : Math.min(this.options.maxDelayMs, this.backoff * 2);
    return this.backoff;
  }

  reset(): void {
    this.chars = 0;
    this.busyMs = 0;
    this.slices = [];
    this.backoff = 0;
  }
}
