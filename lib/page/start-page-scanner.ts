import { browser } from 'wxt/browser';
import { defang, detect } from '../detect/index';
import type { IndicatorFamily } from '../detect/types';
import { sendRequest } from '../messaging/client';
import { ContentMessageSchema, type PageConfig } from '../messaging/protocol';
import type { IndicatorRef } from '../messaging/schemas';
import { CardHost } from './card-host';
import { viewportObserver } from './highlight-painter';
import { createCssHighlightSink, type HighlightSink } from './highlight-sink';
import type { CardAction, HoverCardProps } from './hover-card';
import { HoverTracker } from './hover-tracker';
import { type Hit, type KnowledgeEntry, PageScanner } from './page-scanner';
import { browserYield } from './slice-runner';
import type { TextBlock } from './text-block';

/**
 * The content script's wiring for one frame: asks the background whether to scan, runs the `PageScanner`, shows
 * the hover card, answers `content.config` (pause / resume without reload) and `content.reveal`, and resets on SPA
 * navigations. For tests and the benchmark, the isolated world (never the page) gets `globalThis.__riposte`.
 */
export interface PageController {
  scanner: PageScanner;
  /** Extra hover-card buttons (block / isolate) supplied by the actions feature. */
  setCardActions(provider: (hit: Hit) => CardAction[]): void;
}

/** `page.report`'s limit in lib/messaging/protocol.ts. */
const REPORT_MAX = 20_000;

const NO_SINK: HighlightSink = { add() {}, delete() {}, clear() {}, flash() {} };

export async function startPageScanner(signal: AbortSignal): Promise<PageController> {
  /** When the content script ran, and when the background answered `page.config` (for the benchmark). */
  const timeline = { scriptAt: performance.now(), configAt: 0 };
  const sink = createCssHighlightSink(window) ?? NO_SINK;
  const scanner = new PageScanner({
    doc: document,
    detect,
    sink,
    report: (indicators) => {
      // The protocol takes at most REPORT_MAX indicators per frame (a bigger report would be refused whole): keep
      // the most frequent ones.
      const sent =
        indicators.length > REPORT_MAX
          ? [...indicators].sort((a, b) => b.count - a.count).slice(0, REPORT_MAX)
          : indicators;
      void sendRequest({ type: 'page.report', url: location.href, indicators: sent }).catch(() => undefined);
    },
    lookupKnowledge: async (ids) => {
      const reply = await sendRequest({ type: 'kb.lookup', ids });
      return reply.ready ? (reply.entries as Record<string, KnowledgeEntry>) : null;
    },
    isVisible,
    runner: { yieldToPage: browserYield() },
    painter: { createObserver: viewportObserver },
  });

  let url = location.href;
  const navigated = (): boolean => {
    if (location.href === url) return false;
    url = location.href;
    scanner.reset();
    // The background forgets the tab when its URL changes; report again once that has surely happened.
    setTimeout(() => scanner.active && scanner.sendReport(), 1200);
    return true;
  };
  scanner.onNavigate = navigated;
  const navigation = (globalThis as { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('navigatesuccess', () => navigated(), { signal });
  window.addEventListener('popstate', () => navigated(), { signal });
  window.addEventListener('hashchange', () => navigated(), { signal });

  const card = new CardHost(document);
  let actionsFor: (hit: Hit) => CardAction[] = () => [];
  let tracker: HoverTracker | undefined;
  let cardProps: HoverCardProps | undefined;

  const showCard = (hit: Hit, box: DOMRect) => {
    const ref: IndicatorRef = { type: hit.type, value: hit.value };
    const setStatus = (status: string) => {
      if (!cardProps) return;
      cardProps = { ...cardProps, status };
      card.update(cardProps);
    };
    const copy = async (text: string, what: string) => {
      try {
        await navigator.clipboard.writeText(text);
        setStatus(`Copied ${what}`);
      } catch {
        setStatus(card.copyFallback(text) ? `Copied ${what}` : 'The page does not allow copying');
      }
    };
    cardProps = {
      type: hit.type,
      value: hit.value,
      family: hit.family,
      ...(hit.scope ? { scope: hit.scope } : {}),
      ...(hit.defanged ? { defanged: true } : {}),
      ...(hit.knowledge ? { knowledge: hit.knowledge } : {}),
      actions: actionsFor(hit),
      onOpenPanel: () => {
        void sendRequest({ type: 'panel.open', focus: ref })
          .then(() => setStatus('Opened in the side panel'))
          .catch((error: unknown) => setStatus(error instanceof Error ? error.message : String(error)));
      },
      onCopy: () => void copy(hit.value, 'value'),
      onCopyDefanged: () => void copy(defang(hit.value, hit.type), 'defanged value'),
    };
    card.show(cardProps, box);
  };

  const startUi = () => {
    tracker ??= new HoverTracker({
      doc: document,
      card,
      hitAt: (node, offset) => scanner.hitAt(node, offset),
      shadowRoots: () => scanner.shadowRoots(),
      onEnter: showCard,
      onLeave: () => {
        card.hide();
        cardProps = undefined;
      },
    });
  };
  const stopUi = () => {
    tracker?.stop();
    tracker = undefined;
    card.hide();
  };

  const apply = (config: PageConfig) => {
    scanner.setFamilies(config.families ? new Set<IndicatorFamily>(config.families) : undefined);
    if (config.enabled) {
      scanner.start();
      startUi();
    } else {
      stopUi();
      scanner.stop();
    }
  };

  const reveal = (ref: IndicatorRef): boolean => {
    const hit = scanner.find(ref);
    if (!hit) return false;
    const range = document.createRange();
    range.setStart(hit.range.startContainer, hit.range.startOffset);
    range.setEnd(hit.range.endContainer, hit.range.endOffset);
    const element = range.startContainer.parentElement;
    element?.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
    sink.flash(range, 2000);
    return true;
  };

  const onMessage = (raw: unknown, sender: { id?: string }) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const message = ContentMessageSchema.safeParse(raw);
    if (!message.success) return undefined;
    if (message.data.type === 'content.config') {
      apply(message.data.config);
      return undefined;
    }
    // Only the frame that holds the indicator answers; the others stay silent.
    return reveal(message.data.indicator) ? Promise.resolve({ found: true }) : undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  const controller: PageController = {
    scanner,
    setCardActions(provider) {
      actionsFor = provider;
    },
  };
  let configured: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    configured = resolve;
  });
  (globalThis as { __riposte?: unknown }).__riposte = {
    scanner,
    stats: scanner.stats,
    ready,
    timeline,
    idle: () => ready.then(() => scanner.whenIdle()),
    indicators: () => scanner.indicators(),
  };

  signal.addEventListener('abort', () => {
    browser.runtime.onMessage.removeListener(onMessage);
    stopUi();
    card.destroy();
    scanner.stop();
  });

  // Read the page while the background decides (its worker may be starting up); nothing is shown before it says so.
  scanner.awaitFirstFrame(window);
  scanner.prepare();
  let config: PageConfig;
  try {
    config = await sendRequest({ type: 'page.config', url: location.href });
  } catch {
    config = { enabled: false, reason: 'Riposte could not reach its background' };
  }
  timeline.configAt = performance.now();
  if (!signal.aborted) apply(config);
  configured();
  return controller;
}

/** Whether a block's text is rendered: its element is not in a `display: none` / hidden subtree. */
function isVisible(block: TextBlock): boolean {
  const element = block.nodes[0]?.parentElement;
  if (!element) return true;
  const check = (element as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  return check ? check.call(element, { visibilityProperty: true }) : true;
}
