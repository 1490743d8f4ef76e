import { computed, signal } from '@preact/signals';
import type { CountedIndicator } from '../messaging/schemas';

/**
 * The side panel's model of "this page": which tab it follows, what the background reports for it, and the
 * loading / error state. Fetching is injected so the model is tested without a browser.
 */
export type FetchIndicators = (tabId: number) => Promise<CountedIndicator[]>;

export function createPageModel(fetchIndicators: FetchIndicators) {
  const tabId = signal<number | undefined>(undefined);
  const indicators = signal<CountedIndicator[]>([]);
  const status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = signal<string | undefined>(undefined);
  const filter = signal('');
  let generation = 0;

  const visible = computed(() => {
    const needle = filter.value.trim().toLowerCase();
    const list = needle
      ? indicators.value.filter((i) => i.value.includes(needle) || i.type.includes(needle))
      : indicators.value;
    return [...list].sort(
      (a, b) => a.type.localeCompare(b.type) || b.count - a.count || a.value.localeCompare(b.value),
    );
  });

  async function refresh(): Promise<void> {
    const id = tabId.value;
    if (id === undefined) return;
    const mine = ++generation;
    if (status.value === 'idle') status.value = 'loading';
    try {
      const next = await fetchIndicators(id);
      if (mine !== generation) return;
      indicators.value = next;
      status.value = 'ready';
      error.value = undefined;
    } catch (e) {
      if (mine !== generation) return;
      status.value = 'error';
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  function follow(id: number): Promise<void> {
    if (tabId.value !== id) {
      tabId.value = id;
      indicators.value = [];
      status.value = 'loading';
    }
    return refresh();
  }

  return { tabId, indicators, status, error, filter, visible, refresh, follow };
}
export type PageModel = ReturnType<typeof createPageModel>;
