import { batch, computed, signal } from '@preact/signals';

/**
 * The knowledge search box: results as you type, arrow keys move through them, Enter opens one. The search itself
 * is injected (MiniSearch over the knowledge in the panel, a fake in tests). Answers to an older query are dropped.
 */
export interface SearchHit {
  id: string;
  name: string;
  /** technique, group, software, mitigation, campaign, tactic, d3fend */
  kind: string;
  /** Revoked / deprecated ids still come up, marked. */
  status?: string;
}

export type Search = (query: string, limit: number) => Promise<SearchHit[]>;

export function createSearchModel(search: Search, limit = 12) {
  const query = signal('');
  const results = signal<SearchHit[]>([]);
  const active = signal(-1);
  const status = signal<'idle' | 'searching' | 'done' | 'error'>('idle');
  const error = signal<string | undefined>(undefined);
  const expanded = computed(() => query.value.trim().length > 0 && status.value !== 'idle');
  const activeHit = computed(() => results.value[active.value]);
  let generation = 0;

  async function setQuery(next: string): Promise<void> {
    query.value = next;
    const mine = ++generation;
    const text = next.trim();
    if (!text) {
      batch(() => {
        results.value = [];
        active.value = -1;
        status.value = 'idle';
      });
      return;
    }
    status.value = 'searching';
    try {
      const hits = await search(text, limit);
      if (mine !== generation) return;
      batch(() => {
        results.value = hits;
        active.value = hits.length > 0 ? 0 : -1;
        status.value = 'done';
        error.value = undefined;
      });
    } catch (e) {
      if (mine !== generation) return;
      batch(() => {
        results.value = [];
        active.value = -1;
        status.value = 'error';
        error.value = e instanceof Error ? e.message : String(e);
      });
    }
  }

  /** Arrow keys: move the active result, wrapping around. */
  function move(delta: number): void {
    const n = results.value.length;
    if (n === 0) return;
    active.value = (((active.value + delta) % n) + n) % n;
  }

  function clear(): void {
    generation++;
    batch(() => {
      query.value = '';
      results.value = [];
      active.value = -1;
      status.value = 'idle';
      error.value = undefined;
    });
  }

  return { query, results, active, activeHit, status, error, expanded, setQuery, move, clear };
}
export type SearchModel = ReturnType<typeof createSearchModel>;
