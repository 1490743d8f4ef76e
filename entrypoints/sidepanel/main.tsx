import { computed, signal } from '@preact/signals';
import { type ComponentType, render } from 'preact';
import '../../components/theme.css';
import '../../components/panel.css';
import '../../components/actions/actions.css';
import { preloadPanelParts, SidePanel } from '../../components/SidePanel';
import { isKnowledgeId } from '../../lib/detect/types';
import { createCardModel } from '../../lib/panel/card-model';
import { followTabs } from '../../lib/panel/follow-tab';
import { createHintsModel } from '../../lib/panel/hints-model';
import { createKnowledgeModel } from '../../lib/panel/knowledge-model';
import { createPageModel } from '../../lib/panel/page-model';
import { createSearchModel } from '../../lib/panel/search-model';
import { createStripModel } from '../../lib/panel/strip-model';
import { requestTabIndicators } from '../../lib/panel/tab-indicators';
import type { KnowledgeBase } from './knowledge-base';
import type { PanelActions } from './panel-actions';

// Wiring only. The first paint needs just this page's list: this chunk holds the page model, the list and the
// panel's frame, and asks the background for the tab's indicators before anything is rendered. The knowledge
// (IndexedDB, MiniSearch), the cards (markdown-it), hints, exports, response actions, pause switches and the whole
// typed protocol (zod) are dynamic imports, loaded once the list is on screen (or on first use).
performance.mark('riposte:script');

// `riposte:page-ready`: the first time this page's list (or its honest empty state) is on screen, after paint.
// scripts/bench-panel.ts reads it, with `riposte:request` / `riposte:indicators` around the first request.
let painted!: () => void;
const firstPaint = new Promise<void>((resolve) => {
  painted = resolve;
});
setTimeout(() => painted(), 1500);
let marked = false;
function markReady(): void {
  if (marked) return;
  marked = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.mark('riposte:page-ready');
      painted();
    }, 0),
  );
}
/** Loads a deferred part once, never before the first paint. */
function afterPaint<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= firstPaint.then(load);
    return loading;
  };
}
const knowledgeBase = afterPaint<KnowledgeBase>(() =>
  import('./knowledge-base').then((m) => m.openKnowledgeBase()),
);

const page = createPageModel(async (tabId) => {
  if (performance.getEntriesByName('riposte:request').length === 0) performance.mark('riposte:request');
  const indicators = await requestTabIndicators(tabId);
  if (performance.getEntriesByName('riposte:indicators').length === 0) performance.mark('riposte:indicators');
  return indicators;
});
page.status.subscribe((s) => {
  if (s === 'ready' && page.indicators.peek().length === 0) markReady();
});
const cards = createCardModel(async (id) => (await knowledgeBase()).card(id));
// Follow the tab now: for a pinned tab the request leaves before the first render.
const pinned = Number(new URLSearchParams(location.search).get('tabId'));
void followTabs({
  model: page,
  pinnedTabId:
    Number.isInteger(pinned) && pinned >= 0 && location.search.includes('tabId=') ? pinned : undefined,
  onFocus: (target) => {
    if (isKnowledgeId(target.type)) void cards.open(target.value);
    else page.reveal(target);
  },
});

const search = createSearchModel(async (q, limit) => (await knowledgeBase()).search(q, limit));
const strip = createStripModel(page.techniques, async (id) => {
  const card = await (await knowledgeBase()).card(id);
  return card?.kind === 'technique' ? { name: card.name, tactics: card.tactics } : null;
});
const hints = createHintsModel(async () => {
  const stored = await (await knowledgeBase()).blob('hints');
  if (!stored) return null;
  const { parseHintsModel, suggest } = await import('../../lib/knowledge/hints/index');
  const parsed = parseHintsModel(stored);
  if (!parsed.ok) throw new Error(parsed.error);
  const model = parsed.value;
  return (observed, k) => suggest(model, observed, k);
});
const knowledge = createKnowledgeModel({
  status: async () => (await knowledgeBase()).status(),
  update: async () => (await import('../../lib/panel/knowledge-update')).requestKnowledgeUpdate(),
  onChanged: () => {
    void strip.invalidate();
    void hints.load();
    void cards.reload();
  },
});
const pageObserved = computed(() => page.techniques.value.map((t) => t.value));
const pageHints = hints.hintsFor(pageObserved);
const cardObserved = computed(() => {
  const view = cards.view.value;
  return view?.state === 'ready' && view.card.kind === 'technique' ? [view.card.id] : [];
});
const cardHints = hints.hintsFor(cardObserved);
const note = signal<{ text: string; error?: boolean } | undefined>(undefined);
const actions = signal<PanelActions | undefined>(undefined);
const pauseBar = signal<ComponentType | undefined>(undefined);

function Panel() {
  const PauseBar = pauseBar.value;
  return (
    <SidePanel
      headerExtra={PauseBar ? <PauseBar /> : null}
      dock={actions.value?.dock}
      page={page}
      cards={cards}
      search={search}
      knowledge={knowledge}
      strip={strip}
      hints={hints}
      pageHints={pageHints}
      cardHints={cardHints}
      note={note}
      onListRendered={markReady}
      countermeasureActions={actions.value?.countermeasureActions}
      onReveal={(indicator) => {
        const tabId = page.tabId.value;
        if (tabId === undefined) return;
        import('../../lib/messaging/client')
          .then(({ sendRequest }) => sendRequest({ type: 'tab.reveal', tabId, indicator }))
          .then(({ found }) => {
            note.value = found ? undefined : { text: `${indicator.value} is no longer visible on the page.` };
          })
          .catch((e: unknown) => {
            note.value = { text: `Could not show it on the page: ${(e as Error).message}`, error: true };
          });
      }}
      onExport={(format) => {
        import('../../lib/panel/export-page')
          .then(({ exportPage }) =>
            exportPage(format, {
              indicators: page.indicators.value,
              url: page.tab.value.url,
              title: page.tab.value.title,
              at: new Date(),
              attackVersion:
                knowledge.status.value?.active?.sources.find((s) => s.kind === 'attack')?.version ?? null,
              hints: pageHints.value,
            }),
          )
          .then((text) => {
            note.value = { text };
          })
          .catch((e: unknown) => {
            note.value = { text: `Export failed: ${(e as Error).message}`, error: true };
          });
      }}
    />
  );
}

const root = document.getElementById('app');
if (root) {
  render(<Panel />, root);
  // Once the list is on screen: the knowledge status and hints, the pause switches and response actions, then the
  // remaining chunks while the panel is idle.
  void firstPaint.then(async () => {
    void knowledge.refresh();
    void hints.load();
    const [pause, panelActions] = await Promise.all([import('./pause-bar'), import('./panel-actions')]);
    pauseBar.value = pause.createPauseBar(() => page.tab.value.url);
    actions.value = panelActions.createPanelActions(page);
    const idle = (fn: () => void) =>
      'requestIdleCallback' in globalThis ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 200);
    idle(() => {
      void preloadPanelParts();
      void import('../../lib/panel/export-page');
      void import('../../lib/messaging/client');
    });
  });
}
