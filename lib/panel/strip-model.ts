import { effect, type ReadonlySignal, signal } from '@preact/signals';
import type { CountedIndicator } from '../messaging/schemas';
import { buildTacticStrip, type TacticStrip, type TechniqueTactics } from './tactic-strip';

/**
 * Keeps the page's tactic strip up to date: when the page's techniques change, looks up the tactics of the ones
 * not seen yet (one card read each) and rebuilds the strip. `invalidate` drops what was looked up (new knowledge).
 */
export type LoadTactics = (id: string) => Promise<TechniqueTactics | null>;

export function createStripModel(techniques: ReadonlySignal<CountedIndicator[]>, loadTactics: LoadTactics) {
  const strip = signal<TacticStrip>({ columns: [], unplaced: [] });
  const status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = signal<string | undefined>(undefined);
  const known = new Map<string, TechniqueTactics | null>();
  let generation = 0;

  async function rebuild(list: CountedIndicator[]): Promise<void> {
    const mine = ++generation;
    const missing = list.map((t) => t.value).filter((id) => !known.has(id));
    if (missing.length > 0) {
      status.value = 'loading';
      try {
        const found = await Promise.all(missing.map((id) => loadTactics(id)));
        if (mine !== generation) return;
        missing.forEach((id, i) => {
          known.set(id, found[i] ?? null);
        });
      } catch (e) {
        if (mine !== generation) return;
        status.value = 'error';
        error.value = e instanceof Error ? e.message : String(e);
        return;
      }
    }
    const placed = new Map<string, TechniqueTactics>();
    for (const [id, info] of known) if (info) placed.set(id, info);
    strip.value = buildTacticStrip(list, placed);
    status.value = 'ready';
  }

  const stop = effect(() => {
    void rebuild(techniques.value);
  });

  function invalidate(): Promise<void> {
    known.clear();
    return rebuild(techniques.peek());
  }

  return { strip, status, error, invalidate, dispose: stop };
}
export type StripModel = ReturnType<typeof createStripModel>;
