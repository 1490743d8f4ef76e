import type { IndicatorFamily } from '../detect/types';
import { FAMILIES, FLASH_HIGHLIGHT, highlightName } from './highlight-styles';

/** Where ranges are painted. The browser implementation registers one `Highlight` per family in `CSS.highlights`. */
export interface HighlightSink {
  add(family: IndicatorFamily, range: AbstractRange): void;
  delete(family: IndicatorFamily, range: AbstractRange): void;
  clear(): void;
  /** Paints `range` strongly for a moment (reveal from the side panel). */
  flash(range: AbstractRange, ms: number): void;
}

interface HighlightRegistryLike {
  set(name: string, highlight: Highlight): void;
  delete(name: string): boolean;
}

export function createCssHighlightSink(win: Window & typeof globalThis = window): HighlightSink | null {
  const registry = (win.CSS as unknown as { highlights?: HighlightRegistryLike }).highlights;
  const HighlightCtor = (win as unknown as { Highlight?: typeof Highlight }).Highlight;
  if (!registry || !HighlightCtor) return null;
  const highlights = new Map<IndicatorFamily, Highlight>();
  for (const family of FAMILIES) {
    const highlight = new HighlightCtor();
    highlights.set(family, highlight);
    registry.set(highlightName(family), highlight);
  }
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    add: (family, range) => highlights.get(family)?.add(range),
    delete: (family, range) => void highlights.get(family)?.delete(range),
    clear: () => {
      for (const highlight of highlights.values()) highlight.clear();
      registry.delete(FLASH_HIGHLIGHT);
    },
    flash(range, ms) {
      clearTimeout(flashTimer);
      const flash = new HighlightCtor(range);
      flash.priority = 10;
      registry.set(FLASH_HIGHLIGHT, flash);
      flashTimer = setTimeout(() => registry.delete(FLASH_HIGHLIGHT), ms);
    },
  };
}
