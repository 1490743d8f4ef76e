/**
 * Runs a resumable piece of work in short slices off the critical path: each slice gets a deadline a few
 * milliseconds away, then the runner gives the main thread back (`scheduler.yield` where it exists, otherwise a
 * message-channel task) before the next one. `request()` is what a MutationObserver callback calls: it only makes
 * sure a run is scheduled.
 */
export interface SliceRunnerOptions {
  /** Length of one slice. */
  sliceMs: number;
  now: () => number;
  /** Gives the main thread back; resolves when the next slice may run. */
  yieldToPage: () => Promise<void>;
  /** Waits `ms` (back-off under pressure). */
  sleep: (ms: number) => Promise<void>;
}

/** One step of work: do as much as fits before `deadline`, return true while more remains. */
export type SliceStep = (deadline: number) => boolean;

export interface SliceObserver {
  /** Called after every slice with its duration; returns a delay (ms) to wait before the next one. */
  afterSlice(ms: number, end: number): number;
  /** Called when the work ran out. */
  idle(): void;
  /** Called before a new run starts (a change after the work ran out); returns a delay (ms) to wait first. */
  beforeRun?(now: number): number;
}

export class SliceRunner {
  private running = false;
  private again = false;
  private stopped = false;
  /** Longest slice so far (ms), for the benchmark and the budget. */
  longestSlice = 0;

  constructor(
    private readonly step: SliceStep,
    private readonly observer: SliceObserver,
    private readonly options: SliceRunnerOptions,
  ) {}

  request(): void {
    this.stopped = false;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
  }

  get busy(): boolean {
    return this.running;
  }

  private async run(): Promise<void> {
    const { now, yieldToPage, sleep, sliceMs } = this.options;
    try {
      // A page that changes again and again starts a new run each time: the wait applies before it too.
      const wait = this.observer.beforeRun?.(now()) ?? 0;
      if (wait > 0) await sleep(wait);
      else await yieldToPage();
      for (;;) {
        if (this.stopped) return;
        this.again = false;
        const start = now();
        const more = this.step(start + sliceMs);
        const end = now();
        const ms = end - start;
        if (ms > this.longestSlice) this.longestSlice = ms;
        const delay = this.observer.afterSlice(ms, end);
        if (!more && !this.again) {
          this.running = false;
          this.observer.idle();
          return;
        }
        if (delay > 0) await sleep(delay);
        else await yieldToPage();
      }
    } finally {
      this.running = false;
      if (this.again && !this.stopped) this.request();
    }
  }
}

/** The browser's way of giving the main thread back: `scheduler.yield()` (Chromium), else a posted message. */
export function browserYield(): () => Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return () => (scheduler.yield as () => Promise<void>).call(scheduler);
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}
