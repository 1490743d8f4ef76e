import { batch, computed, signal } from '@preact/signals';
import type { Card } from '../knowledge/card';

/**
 * Which knowledge card the panel shows, with back navigation: opening a card from a card pushes it, Back pops,
 * Close returns to the page. Loading is injected (IndexedDB in the panel, a plain map in tests).
 */
export type LoadCard = (id: string) => Promise<Card | null>;

export type CardView =
  | { id: string; state: 'loading' }
  | { id: string; state: 'ready'; card: Card }
  | { id: string; state: 'missing' }
  | { id: string; state: 'error'; error: string };

export function createCardModel(loadCard: LoadCard) {
  const stack = signal<string[]>([]);
  const view = signal<CardView | undefined>(undefined);
  const canGoBack = computed(() => stack.value.length > 1);
  let generation = 0;

  async function show(id: string): Promise<void> {
    const mine = ++generation;
    view.value = { id, state: 'loading' };
    try {
      const card = await loadCard(id);
      if (mine !== generation) return;
      view.value = card ? { id, state: 'ready', card } : { id, state: 'missing' };
    } catch (e) {
      if (mine !== generation) return;
      view.value = { id, state: 'error', error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Open a card on top of the current one (the same id twice in a row is one entry). */
  function open(id: string): Promise<void> {
    const current = stack.value;
    if (current[current.length - 1] !== id) stack.value = [...current, id];
    return show(id);
  }

  function back(): Promise<void> {
    const previous = stack.value.slice(0, -1);
    const id = previous[previous.length - 1];
    if (id === undefined) {
      close();
      return Promise.resolve();
    }
    stack.value = previous;
    return show(id);
  }

  function close(): void {
    generation++;
    batch(() => {
      stack.value = [];
      view.value = undefined;
    });
  }

  /** Load the current card again (after a knowledge update). */
  function reload(): Promise<void> {
    const id = stack.value[stack.value.length - 1];
    return id === undefined ? Promise.resolve() : show(id);
  }

  return { stack, view, canGoBack, open, back, close, reload };
}
export type CardModel = ReturnType<typeof createCardModel>;
