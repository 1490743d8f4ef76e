import { computed, type ReadonlySignal, signal } from '@preact/signals';

/**
 * "Next likely moves" for the panel: the hints model is loaded once per knowledge generation (injected), then
 * suggestions are computed synchronously for an observed set (the page's techniques, or one technique card).
 */
export interface PanelHint {
  id: string;
  name: string;
  score: number;
  why: string;
  tactics?: string[];
  prepare?: { id: string; name: string }[];
}

export type Suggest = (observed: readonly string[], k: number) => PanelHint[];

export function createHintsModel(loadSuggest: () => Promise<Suggest | null>, k = 10) {
  const suggestFn = signal<Suggest | null | undefined>(undefined);
  const error = signal<string | undefined>(undefined);

  async function load(): Promise<void> {
    try {
      suggestFn.value = await loadSuggest();
      error.value = undefined;
    } catch (e) {
      suggestFn.value = null;
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** A computed list of hints for an observed set (empty when no model is available or nothing is observed). */
  function hintsFor(observed: ReadonlySignal<readonly string[]>): ReadonlySignal<PanelHint[]> {
    return computed(() => {
      const fn = suggestFn.value;
      const ids = observed.value;
      if (!fn || ids.length === 0) return [];
      return fn(ids, k);
    });
  }

  /** Hints for one observed set, now. */
  function hintsNow(observed: readonly string[]): PanelHint[] {
    const fn = suggestFn.value;
    return fn && observed.length > 0 ? fn(observed, k) : [];
  }

  const available = computed(() => Boolean(suggestFn.value));
  return { suggestFn, error, available, load, hintsFor, hintsNow };
}
export type HintsModel = ReturnType<typeof createHintsModel>;
