import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { familyOf, type IndicatorType, isKnowledgeId } from '../lib/detect/types';
import type { CountedIndicator } from '../lib/messaging/schemas';
import type { PageRow } from '../lib/panel/page-model';
import { SCOPE_EXPLANATIONS, SCOPE_LABELS } from '../lib/panel/type-labels';
import { useVirtualRows } from './useVirtualRows';

export interface IndicatorListProps {
  rows: readonly PageRow[];
  /** Number of indicators shown (for aria-setsize). */
  shown: number;
  /** The scrolling element that contains the list (the panel's main area). */
  scrollElement: () => HTMLElement | null;
  focused?: { type: IndicatorType; value: string } | undefined;
  onReveal?: (indicator: CountedIndicator) => void;
  onOpenCard?: (id: string) => void;
  onToggleGroup?: (type: IndicatorType) => void;
  /** Called once rows are in the document (the panel's "ready" performance mark). */
  onRendered?: () => void;
}

const GROUP_HEIGHT = 34;
const ITEM_HEIGHT = 30;

function rowKey(row: PageRow): string {
  return row.kind === 'group' ? `g:${row.type}` : `i:${row.item.type}:${row.item.value}`;
}

/**
 * The page's indicators grouped by type with counts, virtualised (@tanstack/virtual-core): only the rows in view
 * exist in the document, so 5,000 indicators cost what 40 do. Arrow keys move between rows, Home / End jump.
 * Presentational: data in, callbacks out.
 */
export function IndicatorList({
  rows,
  shown,
  scrollElement,
  focused,
  onReveal,
  onOpenCard,
  onToggleGroup,
  onRendered,
}: IndicatorListProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const rendered = useRef(false);
  const [margin, setMargin] = useState(0);
  // Stable per list of rows: the virtualiser recomputes every row's offset (5,000 of them) whenever `getItemKey`
  // changes, so a new function on each render would redo that work on every render.
  const getItemKey = useCallback(
    (i: number) => {
      const row = rows[i];
      return row ? rowKey(row) : i;
    },
    [rows],
  );
  const estimateSize = useCallback(
    (i: number) => (rows[i]?.kind === 'group' ? GROUP_HEIGHT : ITEM_HEIGHT),
    [rows],
  );
  const virtualizer = useVirtualRows({
    count: rows.length,
    getScrollElement: scrollElement,
    estimateSize,
    getItemKey,
    scrollMargin: margin,
    initialRect: { width: 360, height: typeof window === 'undefined' ? 800 : window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();

  useLayoutEffect(() => {
    // The list's offset inside the scroller changes when content above it does (filter, strip, card closed).
    const top = listRef.current?.offsetTop ?? 0;
    if (top !== margin) setMargin(top);
    if (!rendered.current && rows.length > 0 && items.length > 0) {
      rendered.current = true;
      onRendered?.();
    }
  });

  const focusedIndex = focused
    ? rows.findIndex(
        (r) => r.kind === 'item' && r.item.type === focused.type && r.item.value === focused.value,
      )
    : -1;
  useEffect(() => {
    if (focusedIndex >= 0) virtualizer.scrollToIndex(focusedIndex, { align: 'center' });
  }, [focusedIndex, virtualizer]);

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    // The row is usually rendered already (the next or previous one): focus it in this keystroke. A row further
    // away (PageDown, End) exists only once the virtualiser has rendered it, a frame or a few later.
    const tryFocus = (attempt: number) => {
      const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${target}"] button`);
      if (el) el.focus();
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    tryFocus(0);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const rowEl = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!rowEl) return;
    const index = Number(rowEl.dataset.index);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: index + 10,
      PageUp: index - 10,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    focusRow(next);
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: rows are absolutely positioned for virtualisation; the roles keep the list semantics.
    <div
      ref={listRef}
      class="vlist"
      role="list"
      aria-label="Indicators on this page"
      onKeyDown={onKeyDown}
      style={{ height: `${virtualizer.getTotalSize()}px` }}
    >
      {items.map((virtual) => {
        const row = rows[virtual.index];
        if (!row) return null;
        const style = { transform: `translateY(${virtual.start - margin}px)` };
        if (row.kind === 'group') {
          return (
            <div
              key={virtual.key}
              class="vrow group-row"
              role="none"
              data-index={virtual.index}
              data-family={familyOf(row.type)}
              ref={virtualizer.measureElement}
              style={style}
            >
              <h3>
                <button
                  type="button"
                  class="group-toggle"
                  aria-expanded={!row.collapsed}
                  onClick={() => onToggleGroup?.(row.type)}
                >
                  <span class="chevron" aria-hidden="true">
                    {row.collapsed ? '▸' : '▾'}
                  </span>
                  {row.label}{' '}
                  <span class="count">
                    {row.shown === row.total ? row.total : `${row.shown} of ${row.total}`}
                  </span>
                </button>
              </h3>
            </div>
          );
        }
        const { item } = row;
        const scope = item.scope ? SCOPE_LABELS[item.scope] : undefined;
        const isFocused = focused?.type === item.type && focused.value === item.value;
        return (
          // biome-ignore lint/a11y/useSemanticElements: see the list above.
          <div
            key={virtual.key}
            class={`vrow item-row${isFocused ? ' focused' : ''}`}
            role="listitem"
            aria-setsize={shown}
            aria-posinset={row.position}
            data-index={virtual.index}
            data-type={item.type}
            data-value={item.value}
            data-family={familyOf(item.type)}
            ref={virtualizer.measureElement}
            style={style}
          >
            <button
              type="button"
              class="value mono"
              title="Show it on the page"
              onClick={() => onReveal?.(item)}
            >
              {item.value}
            </button>
            {scope ? (
              <span
                class={`tag scope-${item.scope}`}
                title={item.scope ? SCOPE_EXPLANATIONS[item.scope] : ''}
              >
                {scope}
              </span>
            ) : null}
            {item.count > 1 ? (
              <span class="muted times" title={`${item.count} occurrences on the page`}>
                ×{item.count}
              </span>
            ) : null}
            {isKnowledgeId(item.type) && onOpenCard ? (
              <button
                type="button"
                class="card-open"
                aria-label={`Open the card of ${item.value}`}
                title="Open its card"
                onClick={() => onOpenCard(item.value)}
              >
                ›
              </button>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
