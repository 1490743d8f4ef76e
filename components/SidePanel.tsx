import type { ReadonlySignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Countermeasure } from '../lib/knowledge/d3fend';
import type { CountedIndicator } from '../lib/messaging/schemas';
import type { CardModel } from '../lib/panel/card-model';
import type { HintsModel, PanelHint } from '../lib/panel/hints-model';
import type { KnowledgeModel } from '../lib/panel/knowledge-model';
import type { PageModel } from '../lib/panel/page-model';
import type { SearchModel } from '../lib/panel/search-model';
import type { StripModel } from '../lib/panel/strip-model';
import { ExportBar } from './ExportBar';
import { IndicatorList } from './IndicatorList';
import { lazy } from './lazy';
import { NextMoves } from './NextMoves';
import { SearchBox } from './SearchBox';
import { TacticStrip } from './TacticStrip';

export interface SidePanelProps {
  page: PageModel;
  cards: CardModel;
  search: SearchModel;
  knowledge: KnowledgeModel;
  strip: StripModel;
  hints: HintsModel;
  pageHints: ReadonlySignal<PanelHint[]>;
  /** Next likely moves after the technique whose card is open. */
  cardHints: ReadonlySignal<PanelHint[]>;
  note: ReadonlySignal<{ text: string; error?: boolean } | undefined>;
  onReveal: (indicator: CountedIndicator) => void;
  onExport: (format: 'csv' | 'stix' | 'navigator') => void;
  onListRendered?: () => void;
  countermeasureActions?: (countermeasure: Countermeasure) => ComponentChildren;
  /** Controls shown in the header under the search (the page's pause switches). */
  headerExtra?: ComponentChildren;
  /** Rendered below the scrolling area, over the panel's bottom edge (the response-actions dock and its sheets). */
  dock?: ComponentChildren;
}

// Not needed for the first paint (the page's list): each is its own chunk, loaded on first use or by `preloadPanelParts`.
// The cards bring markdown-it and every card view.
const CardPanel = lazy(() => import('./CardPanel').then((m) => m.CardPanel));
const KnowledgeStatus = lazy(() => import('./KnowledgeStatus').then((m) => m.KnowledgeStatus));

/** Fetches the parts of the panel that the first paint leaves out (call once the panel is idle). */
export function preloadPanelParts(): Promise<void> {
  return Promise.all([CardPanel.preload(), KnowledgeStatus.preload()]).then(() => undefined);
}

/** The side panel's layout: search on top, then a card or this page, and the knowledge status. Presentational. */
export function SidePanel(props: SidePanelProps) {
  const { cards, search, knowledge, hints, pageHints, note } = props;
  const scroller = useRef<HTMLElement>(null);
  const view = cards.view.value;
  const openCard = (id: string) => {
    search.clear();
    void cards.open(id);
    scroller.current?.scrollTo({ top: 0 });
  };
  const knowledgeReady = knowledge.ready.value;

  return (
    <div class="app">
      <header class="bar">
        <h1>Riposte</h1>
        <SearchBox
          query={search.query.value}
          results={search.results.value}
          active={search.active.value}
          status={search.status.value}
          error={search.error.value}
          available={knowledgeReady}
          onQuery={(q) => void search.setQuery(q)}
          onMove={search.move}
          onChoose={(hit) => openCard(hit.id)}
          onClear={search.clear}
        />
        {props.headerExtra}
      </header>
      <main class="scroller" ref={scroller}>
        {view ? (
          <CardPanel
            fallback={
              <p class="empty" role="status">
                Opening the card…
              </p>
            }
            view={view}
            canGoBack={cards.canGoBack.value}
            onBack={() => void cards.back()}
            onClose={cards.close}
            onOpen={openCard}
            countermeasureActions={props.countermeasureActions}
            nextMoves={
              view.state === 'ready' && view.card.kind === 'technique' ? (
                <NextMoves
                  hints={props.cardHints.value}
                  basis={view.card.id}
                  onOpen={openCard}
                  unavailable={hints.available.value ? undefined : 'The hints model is not available yet.'}
                />
              ) : undefined
            }
          />
        ) : (
          <>
            <KnowledgeSummary knowledge={knowledge} />
            <PageSection
              {...props}
              scroller={() => scroller.current}
              openCard={openCard}
              pageHints={pageHints}
              note={note}
            />
          </>
        )}
      </main>
      {props.dock}
    </div>
  );
}

function KnowledgeSummary({ knowledge }: { knowledge: KnowledgeModel }) {
  const status = knowledge.status.value;
  const needsAttention =
    knowledge.running.value ||
    Boolean(knowledge.readError.value || knowledge.updateError.value || status?.lastError) ||
    status?.state === 'empty';
  const [open, setOpen] = useState<boolean | undefined>(undefined);
  const attack = status?.active?.sources.find((s) => s.kind === 'attack');
  const d3fend = status?.active?.sources.find((s) => s.kind === 'd3fend');
  const summary = status?.active
    ? `ATT&CK ${attack?.version ? `v${attack.version}` : ''}${d3fend ? ` · D3FEND ${d3fend.version ?? ''}` : ''}`
    : status
      ? 'not imported'
      : '…';
  return (
    <details
      class="knowledge-details"
      open={open ?? needsAttention}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        Knowledge: <span class="muted">{summary}</span>
        {knowledge.running.value ? <span class="tag">updating</span> : null}
      </summary>
      {(open ?? needsAttention) ? (
        <KnowledgeStatus
          fallback={<p class="muted">Reading the knowledge status…</p>}
          status={status}
          readError={knowledge.readError.value}
          updateError={knowledge.updateError.value}
          running={knowledge.running.value}
          onUpdate={() => void knowledge.startUpdate()}
        />
      ) : null}
    </details>
  );
}

function PageSection(
  props: SidePanelProps & { scroller: () => HTMLElement | null; openCard: (id: string) => void },
) {
  const { page, strip, hints, pageHints, note, knowledge, openCard } = props;
  const status = page.status.value;
  const all = page.indicators.value;
  const visible = page.visible.value;
  const techniques = page.techniques.value;
  return (
    <section aria-labelledby="page-heading" class="section page">
      <h2 id="page-heading">This page</h2>
      {page.tab.value.title ? (
        <p class="muted page-title" title={page.tab.value.url}>
          {page.tab.value.title}
        </p>
      ) : null}
      {status === 'loading' || status === 'idle' ? (
        <p class="empty" role="status">
          Reading this page…
        </p>
      ) : null}
      {status === 'error' ? (
        <p class="error" role="alert">
          Could not read this page: {page.error.value}
        </p>
      ) : null}
      {status === 'ready' && all.length === 0 ? (
        <p class="empty" role="status">
          No indicators on this page yet.
        </p>
      ) : null}
      {all.length > 0 ? (
        <>
          <TacticStrip strip={strip.strip.value} knowledgeReady={knowledge.ready.value} onOpen={openCard} />
          {techniques.length > 0 && hints.available.value ? (
            <details class="page-hints">
              <summary>Next likely moves ({pageHints.value.length})</summary>
              <NextMoves
                hints={pageHints.value}
                basis={
                  techniques.length === 1
                    ? 'the technique on this page'
                    : `the ${techniques.length} techniques on this page`
                }
                onOpen={openCard}
              />
            </details>
          ) : null}
          <ExportBar
            indicatorCount={all.length}
            techniqueCount={techniques.length}
            onExport={props.onExport}
            message={note.value?.text}
            error={note.value?.error}
          />
          <div class="filter-row">
            <input
              type="search"
              placeholder="Filter indicators"
              aria-label="Filter indicators"
              value={page.filter.value}
              onInput={(e) => {
                page.filter.value = e.currentTarget.value;
              }}
            />
            <span class="muted count-note" aria-live="polite">
              {visible.length === all.length
                ? `${all.length} indicators`
                : `${visible.length} of ${all.length}`}
            </span>
          </div>
          {visible.length === 0 ? <p class="empty">Nothing matches the filter.</p> : null}
        </>
      ) : null}
      <IndicatorList
        rows={page.rows.value}
        shown={visible.length}
        scrollElement={props.scroller}
        focused={page.focused.value}
        onReveal={props.onReveal}
        onOpenCard={openCard}
        onToggleGroup={page.toggleGroup}
        onRendered={props.onListRendered}
      />
    </section>
  );
}
