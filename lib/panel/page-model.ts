import { batch, computed, signal } from '@preact/signals';
import { type IndicatorType, isKnowledgeId } from '../detect/types';
import type { CountedIndicator } from '../messaging/schemas';
import { TYPE_LABELS, TYPE_ORDER } from './type-labels';

/**
 * The side panel's model of "this page": which tab it follows, what the background reports for it, the filter,
 * which groups are folded, and the loading / error state. Fetching is injected so the model is tested without a
 * browser. `rows` is the flat list the virtualised view draws: a heading row per type, then its indicators.
 */
export type FetchIndicators = (tabId: number) => Promise<CountedIndicator[]>;

export interface TabInfo {
  url: string;
  title: string;
}

export type PageRow =
  | { kind: 'group'; type: IndicatorType; label: string; shown: number; total: number; collapsed: boolean }
  | {
      kind: 'item';
      item: CountedIndicator /** 1-based position among the shown indicators. */;
      position: number;
    };

export interface PageGroup {
  type: IndicatorType;
  label: string;
  items: CountedIndicator[];
  total: number;
}

function compare(a: CountedIndicator, b: CountedIndicator): number {
  return (
    TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
    b.count - a.count ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
  );
}

function sameList(a: readonly CountedIndicator[], b: readonly CountedIndicator[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as CountedIndicator;
    const y = b[i] as CountedIndicator;
    if (x.type !== y.type || x.value !== y.value || x.count !== y.count || x.scope !== y.scope) return false;
  }
  return true;
}

export function createPageModel(fetchIndicators: FetchIndicators) {
  const tabId = signal<number | undefined>(undefined);
  const tab = signal<TabInfo>({ url: '', title: '' });
  /** Sorted by type (contract order), then most frequent first, then value. */
  const indicators = signal<CountedIndicator[]>([]);
  const status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = signal<string | undefined>(undefined);
  const filter = signal('');
  const collapsed = signal<ReadonlySet<IndicatorType>>(new Set());
  /** The indicator the analyst asked to see (from the hover card), highlighted in the list. */
  const focused = signal<{ type: IndicatorType; value: string } | undefined>(undefined);
  let generation = 0;

  const lowered = computed(() => indicators.value.map((i) => i.value.toLowerCase()));

  const visible = computed(() => {
    const needle = filter.value.trim().toLowerCase();
    if (!needle) return indicators.value;
    const keys = lowered.value;
    return indicators.value.filter(
      (i, n) =>
        (keys[n] as string).includes(needle) ||
        i.type.includes(needle) ||
        TYPE_LABELS[i.type].toLowerCase().includes(needle),
    );
  });

  const totals = computed(() => {
    const out = new Map<IndicatorType, number>();
    for (const i of indicators.value) out.set(i.type, (out.get(i.type) ?? 0) + 1);
    return out;
  });

  const groups = computed<PageGroup[]>(() => {
    const out: PageGroup[] = [];
    for (const item of visible.value) {
      const last = out[out.length - 1];
      if (last?.type === item.type) last.items.push(item);
      else
        out.push({
          type: item.type,
          label: TYPE_LABELS[item.type],
          items: [item],
          total: totals.value.get(item.type) ?? 0,
        });
    }
    return out;
  });

  const rows = computed<PageRow[]>(() => {
    const out: PageRow[] = [];
    let position = 0;
    for (const g of groups.value) {
      const isCollapsed = collapsed.value.has(g.type);
      out.push({
        kind: 'group',
        type: g.type,
        label: g.label,
        shown: g.items.length,
        total: g.total,
        collapsed: isCollapsed,
      });
      if (isCollapsed) {
        position += g.items.length;
        continue;
      }
      for (const item of g.items) out.push({ kind: 'item', item, position: ++position });
    }
    return out;
  });

  /** ATT&CK technique ids on the page with their counts (tactic strip, Navigator export, hints). */
  const techniques = computed(() => indicators.value.filter((i) => i.type === 'attack_technique'));
  /** Every ATT&CK / D3FEND id on the page. */
  const knowledgeIds = computed(() => indicators.value.filter((i) => isKnowledgeId(i.type)));

  async function refresh(): Promise<void> {
    const id = tabId.value;
    if (id === undefined) return;
    const mine = ++generation;
    if (status.value === 'idle') status.value = 'loading';
    try {
      const next = [...(await fetchIndicators(id))].sort(compare);
      if (mine !== generation) return;
      batch(() => {
        if (!sameList(indicators.value, next)) indicators.value = next;
        status.value = 'ready';
        error.value = undefined;
      });
    } catch (e) {
      if (mine !== generation) return;
      batch(() => {
        status.value = 'error';
        error.value = e instanceof Error ? e.message : String(e);
      });
    }
  }

  /** Follow a tab; a different tab starts from an empty, loading list. */
  function follow(id: number): Promise<void> {
    if (tabId.value !== id) {
      batch(() => {
        tabId.value = id;
        indicators.value = [];
        status.value = 'loading';
        error.value = undefined;
        focused.value = undefined;
      });
    }
    return refresh();
  }

  /** The tab navigated: what was detected belongs to the previous page. */
  function reset(): void {
    generation++;
    batch(() => {
      indicators.value = [];
      status.value = 'loading';
      focused.value = undefined;
    });
  }

  function toggleGroup(type: IndicatorType): void {
    const next = new Set(collapsed.value);
    if (next.has(type)) next.delete(type);
    else next.add(type);
    collapsed.value = next;
  }

  /** Index in `rows` of an indicator (unfolding its group and clearing a filter that hides it), or -1. */
  function reveal(target: { type: IndicatorType; value: string }): number {
    batch(() => {
      focused.value = target;
      if (collapsed.value.has(target.type)) toggleGroup(target.type);
      if (!visible.value.some((i) => i.type === target.type && i.value === target.value)) filter.value = '';
    });
    return rows.value.findIndex(
      (r) => r.kind === 'item' && r.item.type === target.type && r.item.value === target.value,
    );
  }

  return {
    tabId,
    tab,
    indicators,
    status,
    error,
    filter,
    collapsed,
    focused,
    visible,
    totals,
    groups,
    rows,
    techniques,
    knowledgeIds,
    refresh,
    follow,
    reset,
    toggleGroup,
    reveal,
  };
}
export type PageModel = ReturnType<typeof createPageModel>;
