import { computed, signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../components/theme.css';
import '../../components/panel.css';
import '../../components/actions/actions.css';
import { ActionsDock, ApplyButtons } from '../../components/actions/ActionsDock';
import { createActionsModel } from '../../components/actions/actions-model';
import { PauseControls } from '../../components/PauseControls';
import { SidePanel } from '../../components/SidePanel';
import { isKnowledgeId } from '../../lib/detect/types';
import { downloadText } from '../../lib/export/download';
import { openKnowledgeDatabase } from '../../lib/knowledge/db';
import { parseHintsModel, suggest } from '../../lib/knowledge/hints/index';
import { createKnowledgeQueries } from '../../lib/knowledge/queries';
import { ActionsEventSchema } from '../../lib/messaging/actions-protocol';
import { sendRequest } from '../../lib/messaging/client';
import { createPauseModel, type PauseModel } from '../../lib/page/pause-model';
import { createCardModel } from '../../lib/panel/card-model';
import { exportPage } from '../../lib/panel/export-page';
import { followTabs } from '../../lib/panel/follow-tab';
import { createHintsModel } from '../../lib/panel/hints-model';
import { createKnowledgeModel } from '../../lib/panel/knowledge-model';
import { requestKnowledgeUpdate } from '../../lib/panel/knowledge-update';
import { createPageModel } from '../../lib/panel/page-model';
import { createSearchModel } from '../../lib/panel/search-model';
import { createStripModel } from '../../lib/panel/strip-model';

// Wiring only: models from lib/panel, knowledge queries over the extension's IndexedDB, messages to the background.
const queries = createKnowledgeQueries(openKnowledgeDatabase());
performance.mark('riposte:script');
const page = createPageModel(async (tabId) => {
  const { indicators } = await sendRequest({ type: 'tab.indicators', tabId });
  if (performance.getEntriesByName('riposte:indicators').length === 0) performance.mark('riposte:indicators');
  return indicators;
});
const cards = createCardModel((id) => queries.card(id));
const search = createSearchModel(async (q, limit) => queries.search(q, limit));
const strip = createStripModel(page.techniques, async (id) => {
  const card = await queries.card(id);
  return card?.kind === 'technique' ? { name: card.name, tactics: card.tactics } : null;
});
const hints = createHintsModel(async () => {
  const stored = await queries.blob('hints');
  if (!stored) return null;
  const parsed = parseHintsModel(stored);
  if (!parsed.ok) throw new Error(parsed.error);
  const model = parsed.value;
  return (observed, k) => suggest(model, observed, k);
});
const knowledge = createKnowledgeModel({
  status: () => queries.status(),
  update: requestKnowledgeUpdate,
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
const actions = createActionsModel({
  send: sendRequest,
  subscribe: (listener) =>
    browser.runtime.onMessage.addListener((raw: unknown) => {
      const event = ActionsEventSchema.safeParse(raw);
      if (event.success) listener(event.data);
      return undefined;
    }),
  tabId: () => page.tabId.value,
  pageUrl: () => page.tab.value.url,
  indicators: () => page.indicators.value,
  download: (name, mime, text) => downloadText(name, mime, text),
  every: (ms, fn) => setInterval(fn, ms),
});

// `riposte:page-ready`: the first time this page's list (or its honest empty state) is on screen, after paint.
// scripts/bench-panel.ts reads it.
let marked = false;
const readyListeners: (() => void)[] = [];
function markReady(): void {
  if (marked) return;
  marked = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.mark('riposte:page-ready');
      for (const listener of readyListeners) listener();
    }, 0),
  );
}
page.status.subscribe((s) => {
  if (s === 'ready' && page.indicators.peek().length === 0) markReady();
});

function PauseBar({ model }: { model: PauseModel }) {
  return (
    <PauseControls
      site={model.site.value}
      pausedHere={model.pausedHere.value}
      pausedEverywhere={model.pausedEverywhere.value}
      lockedEverywhere={model.lockedEverywhere.value}
      error={model.error.value}
      onToggleSite={() => void model.toggleSite()}
      onToggleEverywhere={() => void model.toggleEverywhere()}
    />
  );
}

const root = document.getElementById('app');
if (root) {
  const pause = createPauseModel(() => page.tab.value.url);
  render(
    <SidePanel
      headerExtra={<PauseBar model={pause} />}
      dock={<ActionsDock model={actions} />}
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
      countermeasureActions={(c) => (
        <ApplyButtons actions={actions.forCountermeasure(c.id)} onApply={actions.startApply} />
      )}
      onReveal={(indicator) => {
        const tabId = page.tabId.value;
        if (tabId === undefined) return;
        sendRequest({ type: 'tab.reveal', tabId, indicator })
          .then(({ found }) => {
            note.value = found ? undefined : { text: `${indicator.value} is no longer visible on the page.` };
          })
          .catch((e: unknown) => {
            note.value = { text: `Could not show it on the page: ${(e as Error).message}`, error: true };
          });
      }}
      onExport={(format) => {
        exportPage(format, {
          indicators: page.indicators.value,
          url: page.tab.value.url,
          title: page.tab.value.title,
          at: new Date(),
          attackVersion:
            knowledge.status.value?.active?.sources.find((s) => s.kind === 'attack')?.version ?? null,
          hints: pageHints.value,
        })
          .then((text) => {
            note.value = { text };
          })
          .catch((e: unknown) => {
            note.value = { text: `Export failed: ${(e as Error).message}`, error: true };
          });
      }}
    />,
    root,
  );
  void actions.loadMenu().then(() => actions.checkProposal());
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
  // The knowledge (IndexedDB, the hints model) is read once this page's list is on screen, so that it never delays it.
  let started = false;
  const startKnowledge = () => {
    if (started) return;
    started = true;
    void knowledge.refresh();
    void hints.load();
  };
  readyListeners.push(startKnowledge);
  setTimeout(startKnowledge, 1500);
}
