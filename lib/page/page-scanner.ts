import { familyOf, type Indicator, type IndicatorFamily, isKnowledgeId } from '../detect/types';
import type { CountedIndicator, IndicatorRef } from '../messaging/schemas';
import { BlockWalker, type WalkedBlock } from './block-walker';
import { HighlightPainter, type HighlightPainterOptions } from './highlight-painter';
import type { HighlightSink } from './highlight-sink';
import { adoptHighlightStyles } from './highlight-styles';
import { blockContainerOf, isBlockBoundary, isInSkippedSubtree, isSkippedElement } from './skip-rules';
import { SliceRunner, type SliceRunnerOptions } from './slice-runner';
import { type BlockPosition, locate, type TextBlock } from './text-block';
import { DEFAULT_BUDGET, WorkBudget, type WorkBudgetOptions } from './work-budget';

/** What the knowledge base says about an ATT&CK / D3FEND id (see the `kb.lookup` message). */
export interface KnowledgeEntry {
  status: 'current' | 'deprecated' | 'revoked' | 'unknown';
  name?: string;
  replacedBy?: { id: string; name?: string };
}

/**
 * Ids -> entries. Resolves `null` when there is no knowledge base yet (every id is then shown as detected).
 */
export type KnowledgeLookup = (ids: string[]) => Promise<Record<string, KnowledgeEntry> | null>;

/** One highlighted occurrence of an indicator. */
export interface Hit {
  type: Indicator['type'];
  value: string;
  scope?: Indicator['scope'];
  defanged?: boolean;
  family: IndicatorFamily;
  range: AbstractRange;
  /** The element holding the hit's first character (what the painter watches in virtual mode). */
  element: Element | null;
  block: HitBlock;
  /** Offsets in the block's joined text. */
  start: number;
  end: number;
  /** 'pending': waiting for the knowledge base to say whether the id exists. */
  state: 'shown' | 'pending';
  knowledge?: KnowledgeEntry;
}

/** A block that holds at least one hit. */
export interface HitBlock extends TextBlock {
  hits: Hit[];
}

export interface ScannerStats {
  /** performance.now() when scanning started, and when the first full scan of the frame finished (or 0). */
  startedAt: number;
  firstIdleAt: number;
  slices: number;
  /** performance.now() when the work queue last ran dry. */
  lastIdleAt: number;
  busyMs: number;
  longestSliceMs: number;
  chars: number;
  hits: number;
  blocks: number;
  /** Why scanning stopped early, when it did. */
  budget?: string;
  /** Of busyMs: time inside `detect`, and checking that blocks with hits are rendered. */
  detectMs: number;
  visibilityMs: number;
  /** The longest single visibility check (one that had to recalculate the page's style). */
  longestVisibilityMs: number;
  /** Changes handled at once in the mutation microtask (the fast path), and when highlights were last committed. */
  fastRuns: number;
  /** Of the fast path: time reading and detecting, and time registering ranges (for the benchmark). */
  fastStepMs: number;
  fastCommitMs: number;
  lastCommitAt: number;
}

export interface PageScannerOptions {
  doc: Document;
  detect: (text: string) => Indicator[];
  sink: HighlightSink;
  /** Receives the frame's complete set (deduplicated, counted), at most every `reportEveryMs`. */
  report: (indicators: CountedIndicator[]) => void;
  lookupKnowledge?: KnowledgeLookup;
  budget?: WorkBudgetOptions;
  /** Families to paint (all by default); the others are still reported. */
  families?: ReadonlySet<IndicatorFamily>;
  reportEveryMs?: number;
  runner?: Partial<SliceRunnerOptions>;
  /** Whether a block's text is rendered (checked once per block that holds a hit). */
  isVisible?: (block: TextBlock) => boolean;
  makeRange?: (position: BlockPosition) => AbstractRange;
  /** How ranges reach CSS.highlights (batched; viewport-only past a threshold). */
  painter?: HighlightPainterOptions;
}

/** Detection runs on batches of blocks joined by newlines, about this long. */
const BATCH_CHARS = 4_000;
/** A single block longer than this (a log dump in one `<pre>`) is detected window by window. */
const WINDOW_CHARS = 16_000;
const WINDOW_OVERLAP = 2_000;
const WINDOW_CONTEXT = 256;
/**
 * Longest the mutation microtask may work (the fast path for a few hundred new rows) before handing over to slices.
 * Reading 100 new log rows takes 5-18 ms here; at 6 ms they were all highlighted in the next frame in 5 of 15
 * rounds of `bench:page`, at 10 ms in 10 of 15, which still leaves the page most of its frame.
 */
const FAST_PATH_MS = 10;

type Root = Document | ShadowRoot;

/**
 * The content script's engine: walks the frame's text (and open shadow roots), detects indicators, highlights them
 * and keeps that in step with a live page. Mutation callbacks only enqueue; all work runs in slices through a
 * `SliceRunner`, within a `WorkBudget`. Holds no patterns: detection is the injected `detect`.
 */
export class PageScanner {
  private readonly blockOf = new Map<Text, HitBlock>();
  private readonly counts = new Map<string, CountedIndicator>();
  private readonly regions: Node[] = [];
  private readonly queued = new Set<Node>();
  private records: MutationRecord[] = [];
  private walker: BlockWalker | null = null;
  private big: { block: WalkedBlock; at: number; ownFrom: number } | null = null;
  private batch: { blocks: WalkedBlock[]; starts: number[]; parts: string[]; length: number } = emptyBatch();
  private readonly roots = new Set<Root>();
  /** Roots whose highlight styles are adopted at the next commit (adopting restyles the whole root). */
  private unstyled: Root[] = [];
  /** Visibility of block containers, for the current run (cleared when the work runs dry). */
  private visibleCache = new WeakMap<Element, boolean>();
  private readonly observer: MutationObserver;
  private readonly runner: SliceRunner;
  private readonly budget: WorkBudget;
  private readonly knowledge = new Map<string, KnowledgeEntry | 'pending' | 'absent'>();
  private readonly awaiting = new Map<string, Hit[]>();
  private lookupQueue = new Set<string>();
  private lookupRunning = false;
  private hitTotal = 0;
  private running = false;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  private lastReport = 0;
  private reportDirty = false;
  private idleWaiters: (() => void)[] = [];
  private families: ReadonlySet<IndicatorFamily> | undefined;
  private readonly painter: HighlightPainter;
  private lastCommit = 0;
  private fastQueued = false;
  /** Set by `prepare()`: reading, but nothing leaves the scanner yet. */
  private gated = false;
  readonly stats: ScannerStats = {
    startedAt: 0,
    firstIdleAt: 0,
    slices: 0,
    lastIdleAt: 0,
    busyMs: 0,
    longestSliceMs: 0,
    chars: 0,
    hits: 0,
    blocks: 0,
    detectMs: 0,
    visibilityMs: 0,
    longestVisibilityMs: 0,
    fastRuns: 0,
    fastStepMs: 0,
    fastCommitMs: 0,
    lastCommitAt: 0,
  };

  constructor(private readonly options: PageScannerOptions) {
    const win = options.doc.defaultView ?? globalThis;
    this.budget = new WorkBudget(options.budget ?? DEFAULT_BUDGET);
    this.families = options.families;
    this.painter = new HighlightPainter(options.sink, options.painter);
    this.observer = new (win as typeof globalThis).MutationObserver((records) => {
      // Only enqueue: the work happens in a microtask right after (a small change, so that it is highlighted before
      // the next frame) or in the next slice.
      for (const record of records) this.records.push(record);
      if (this.fastQueued) return;
      if (this.fastPathOpen()) {
        this.fastQueued = true;
        queueMicrotask(() => this.fastPath());
      } else this.runner.request();
    });
    const now = () => performance.now();
    this.runner = new SliceRunner(
      (deadline) => this.step(deadline),
      {
        afterSlice: (ms, end) => {
          this.budget.spend(0, ms, end);
          this.stats.busyMs += ms;
          this.stats.slices++;
          this.stats.longestSliceMs = Math.max(this.stats.longestSliceMs, ms);
          // The first read of the page runs at full pace (the character budget bounds it); the duty-cycle limit is
          // for what comes after: pages that never stop changing.
          const delay = this.budget.delayBeforeNext(end);
          return this.stats.firstIdleAt === 0 ? 0 : delay;
        },
        idle: () => this.onIdle(),
        beforeRun: (now) => (this.stats.firstIdleAt === 0 ? 0 : this.budget.delayBeforeNext(now)),
      },
      {
        sliceMs: 4,
        now,
        yieldToPage: () => new Promise((r) => setTimeout(r, 0)),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        ...options.runner,
      },
    );
  }

  /** Starts (or restarts) scanning the whole frame and following its changes. */
  start(): void {
    if (this.running) {
      if (!this.gated) return;
      // Prepared while the content script waited for its go-ahead: show what was read so far.
      this.gated = false;
      if (!this.runner.busy) this.onIdle();
      return;
    }
    this.running = true;
    this.stats.startedAt = performance.now();
    this.addRoot(this.options.doc);
    this.runner.request();
  }

  /**
   * Starts reading the frame before it is known whether Riposte may highlight it (the background's answer can take
   * a while when its worker is just starting): nothing is painted, reported or looked up until `start()`; `stop()`
   * throws it all away.
   */
  prepare(): void {
    if (this.running) return;
    this.gated = true;
    this.start();
  }

  /** Stops observing and removes every highlight (pause). Reports an empty set. */
  stop(): void {
    if (!this.running) return;
    const silent = this.gated;
    this.running = false;
    this.gated = false;
    this.observer.disconnect();
    this.runner.stop();
    this.clearState();
    this.roots.clear();
    this.unstyled = [];
    if (!silent) this.sendReport();
    this.resolveIdle();
  }

  /** Forgets everything and scans the frame again (an SPA navigation). */
  reset(): void {
    if (!this.running) return;
    this.clearState();
    this.enqueue(this.options.doc);
    for (const root of this.roots) if (root !== this.options.doc) this.enqueue(root);
    this.runner.request();
  }

  /** Paints only these families from now on (others stay detected and reported). */
  setFamilies(families: ReadonlySet<IndicatorFamily> | undefined): void {
    const before = this.families;
    this.families = families;
    for (const block of new Set(this.blockOf.values())) {
      for (const hit of block.hits) {
        if (hit.state !== 'shown') continue;
        const was = !before || before.has(hit.family);
        const now = !families || families.has(hit.family);
        if (was && !now) this.painter.hide(hit);
        if (!was && now) this.painter.show(hit);
      }
    }
    if (!this.gated) this.painter.commit();
  }

  /** True when only ranges near the viewport are registered (a very large page). */
  get virtualized(): boolean {
    return this.painter.virtualized;
  }

  /** Scanning and showing (not only prepared). */
  get active(): boolean {
    return this.running && !this.gated;
  }

  /** Resolves when all queued work is done. */
  whenIdle(): Promise<void> {
    if (
      !this.runner.busy &&
      this.records.length === 0 &&
      this.regions.length === 0 &&
      this.unverified.length === 0 &&
      this.parked.length === 0 &&
      !this.lookupRunning &&
      this.lookupQueue.size === 0 &&
      !this.gated
    )
      return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The frame's complete set: distinct indicators with their counts. */
  indicators(): CountedIndicator[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }

  /** The shown hit under DOM position (node, offset), if any. */
  hitAt(node: Node, offset: number): Hit | null {
    if (node.nodeType !== Node.TEXT_NODE) return null;
    const block = this.blockOf.get(node as Text);
    if (!block) return null;
    const index = block.nodes.indexOf(node as Text);
    const at = (block.starts[index] as number) + offset;
    for (const hit of block.hits) {
      if (hit.state === 'shown' && at >= hit.start && at < hit.end) return hit;
    }
    // A caret right after the last character still points at the hit it ends.
    for (const hit of block.hits) if (hit.state === 'shown' && at === hit.end && at > hit.start) return hit;
    return null;
  }

  /** The first shown occurrence of an indicator, in the order the page was read. */
  find(ref: IndicatorRef): Hit | null {
    for (const block of new Set(this.blockOf.values())) {
      for (const hit of block.hits) {
        if (
          hit.state === 'shown' &&
          hit.type === ref.type &&
          hit.value === ref.value &&
          hit.block.nodes[0]?.isConnected
        )
          return hit;
      }
    }
    return null;
  }

  /** Open shadow roots being scanned (for hit-testing into them). */
  shadowRoots(): ShadowRoot[] {
    return [...this.roots].filter((r): r is ShadowRoot => r.nodeType === Node.DOCUMENT_FRAGMENT_NODE);
  }

  // ---- work -------------------------------------------------------------------------------------------------

  /**
   * Whether a change may be handled in the mutation microtask: after the first scan, with no slice run under way,
   * and while the page leaves the duty-cycle budget room (a page that mutates without end is left to the slices).
   */
  private fastPathOpen(): boolean {
    if (!this.running || this.gated || this.stats.firstIdleAt === 0 || this.runner.busy) return false;
    const now = performance.now();
    return (
      this.budget.recentBusy(now) + FAST_PATH_MS <=
      this.budget.options.windowMs * this.budget.options.maxBusyShare
    );
  }

  /**
   * The fast path: reads what changed at once, within `FAST_PATH_MS`, and registers the new highlights before the
   * page renders its next frame. Work that does not fit goes on in slices.
   */
  private fastPath(): void {
    this.fastQueued = false;
    if (!this.fastPathOpen()) {
      this.runner.request();
      return;
    }
    const start = performance.now();
    // New ranges are registered at the commit below, without waiting for the viewport observer's first report (a
    // frame later); the observer drops those that turn out to be far from the viewport.
    this.painter.presumeVisible = true;
    this.presumeVisible = true;
    const more = this.step(start + FAST_PATH_MS);
    this.painter.presumeVisible = false;
    this.presumeVisible = false;
    if (this.unverified.length > 0) this.scheduleVerify();
    const end = performance.now();
    this.budget.spend(0, end - start, end);
    this.stats.busyMs += end - start;
    this.stats.fastRuns++;
    this.stats.fastStepMs += end - start;
    if (more) {
      // What fits is painted in the next frame; the rest follows in slices.
      this.commit();
      this.runner.request();
    } else this.onIdle();
    const done = performance.now();
    this.stats.fastCommitMs += done - end;
    this.stats.busyMs += done - end;
  }

  private addRoot(root: Root): void {
    if (this.roots.has(root)) return;
    this.roots.add(root);
    // Not now: a new style sheet invalidates the style of the whole root, and the next visibility check would pay
    // for recalculating all of it in the middle of the scan. The styles only matter once ranges are registered.
    this.unstyled.push(root);
    this.observer.observe(root, { childList: true, subtree: true, characterData: true });
    this.enqueue(root);
  }

  private enqueue(region: Node): void {
    if (this.queued.has(region)) return;
    this.queued.add(region);
    this.regions.push(region);
  }

  private step(deadline: number): boolean {
    if (!this.running) return false;
    this.painter.held = true;
    if (this.records.length > 0) this.takeRecords();
    // The page cannot change while a slice runs: whether the walk still stands in the page is checked once, here.
    if (this.walker && !this.walker.position.isConnected) {
      // The node the walk stood on was removed: start this region over.
      this.enqueue(this.walker.root);
      this.walker = null;
    }
    // The clock is read every few blocks (each one is a few microseconds of work).
    let tick = 0;
    for (;;) {
      if ((++tick & 7) === 0 && performance.now() >= deadline) {
        this.flushBatch();
        // Highlights are committed when the work runs dry: a commit invalidates style, and the next visibility check
        // would pay a style recalculation of the whole page. A page that never lets the work run dry still sees its
        // highlights once a second.
        if (
          this.painter.hasPending &&
          this.stats.firstIdleAt !== 0 &&
          performance.now() - this.lastCommit > 1000
        )
          this.commit();
        return true;
      }
      if (this.big) {
        this.detectWindow();
        tick = 7;
        continue;
      }
      if (this.budget.charsExhausted || this.budget.hitsExhausted(this.hitTotal)) {
        // Over budget: keep what is highlighted, read nothing new until the page navigates.
        this.stats.budget = this.budget.charsExhausted ? 'character budget spent' : 'highlight budget spent';
        this.regions.length = 0;
        this.queued.clear();
        this.walker = null;
        this.big = null;
      }
      if (!this.walker) {
        const region = this.regions.shift();
        if (!region) {
          this.flushBatch();
          if (this.parked.length > 0 && this.rendered) {
            this.addParked(deadline);
            return true;
          }
          return this.records.length > 0;
        }
        this.queued.delete(region);
        if (!region.isConnected) continue;
        if (region.nodeType === Node.ELEMENT_NODE && isInSkippedSubtree(region)) continue;
        tick = 7;
        this.walker = new BlockWalker(region, (shadow) => this.addRoot(shadow));
        continue;
      }
      const walker = this.walker;
      const before = walker.chars;
      const block = walker.next();
      this.budget.chars += walker.chars - before;
      this.stats.chars += walker.chars - before;
      if (!block) {
        if (!walker.active) this.walker = null;
        continue;
      }
      this.forgetNodes(block.nodes);
      if (!/\S/.test(block.text)) continue;
      if (block.length > WINDOW_CHARS) {
        this.flushBatch();
        this.big = { block, at: 0, ownFrom: 0 };
        continue;
      }
      this.addToBatch(block);
      if (this.batch.length >= BATCH_CHARS) {
        this.flushBatch();
        tick = 7;
      }
    }
  }

  /** Turns mutation records into regions to rescan, dropping the highlights of removed text at once. */
  private takeRecords(): void {
    const records = this.records;
    this.records = [];
    if (this.checkNavigation()) return;
    for (const record of records) {
      const target = record.target;
      if (record.type === 'characterData') {
        this.enqueueContainer(target);
        continue;
      }
      let inlineChange = false;
      for (const removed of record.removedNodes) {
        this.dropSubtree(removed);
        if (!isBlockElement(removed)) inlineChange = true;
      }
      for (const added of record.addedNodes) {
        if (added.nodeType === Node.ELEMENT_NODE) {
          const el = added as Element;
          if (isSkippedElement(el)) continue;
          if (isBlockBoundary(el)) {
            this.enqueue(el);
            if (hasInlineNeighbour(el)) inlineChange = true;
            continue;
          }
          inlineChange = true;
        } else if (added.nodeType === Node.TEXT_NODE) inlineChange = true;
      }
      if (inlineChange) this.enqueueContainer(target);
    }
    this.pruneQueue();
  }

  private enqueueContainer(node: Node): void {
    const container = blockContainerOf(node);
    if (container.nodeType === Node.ELEMENT_NODE && isInSkippedSubtree(container)) return;
    this.enqueue(container);
  }

  /** Drops queued regions that lie inside another queued region. */
  private pruneQueue(): void {
    if (this.regions.length < 2) return;
    const keep = this.regions.filter((region) => {
      for (let up = region.parentNode; up; up = up.parentNode) if (this.queued.has(up)) return false;
      return true;
    });
    if (keep.length === this.regions.length) return;
    this.queued.clear();
    this.regions.length = 0;
    for (const region of keep) this.enqueue(region);
  }

  private checkNavigation(): boolean {
    return this.onNavigate?.() ?? false;
  }

  /** Set by the content script: returns true when the URL changed and the page state was reset. */
  onNavigate: (() => boolean) | undefined;

  private addToBatch(block: WalkedBlock): void {
    const batch = this.batch;
    if (batch.length > 0) {
      batch.parts.push('\n');
      batch.length += 1;
    }
    batch.blocks.push(block);
    batch.starts.push(batch.length);
    batch.parts.push(block.text);
    batch.length += block.length;
  }

  private flushBatch(): void {
    const batch = this.batch;
    if (batch.blocks.length === 0) return;
    this.batch = emptyBatch();
    const text = batch.parts.length === 1 ? (batch.parts[0] as string) : batch.parts.join('');
    let found: Indicator[];
    const t0 = performance.now();
    try {
      found = this.options.detect(text);
    } catch {
      return;
    } finally {
      this.stats.detectMs += performance.now() - t0;
    }
    if (!ascending(found)) found = [...found].sort((a, b) => a.start - b.start);
    // Indicators come in text order; walk the batch's blocks alongside instead of searching for each one.
    let index = 0;
    let i = 0;
    while (i < found.length) {
      const at = (found[i] as Indicator).start;
      while (index + 1 < batch.starts.length && (batch.starts[index + 1] as number) <= at) index++;
      const offset = batch.starts[index] as number;
      const limit =
        index + 1 < batch.starts.length ? (batch.starts[index + 1] as number) : Number.POSITIVE_INFINITY;
      let j = i + 1;
      while (j < found.length && (found[j] as Indicator).start < limit) j++;
      this.addHits(batch.blocks[index] as WalkedBlock, found, i, j, offset);
      i = j;
    }
  }

  /**
   * Detects the next window of a block too long for one batch. A window owns the hits that start in
   * `[ownFrom, end - WINDOW_OVERLAP)`; the next one starts a little before that limit (for context) and owns what
   * starts after it, so every hit is found whole exactly once.
   */
  private detectWindow(): void {
    const big = this.big as { block: WalkedBlock; at: number; ownFrom: number };
    const { block, at, ownFrom } = big;
    const end = Math.min(block.length, at + WINDOW_CHARS);
    this.budget.chars += end - at;
    let found: Indicator[] = [];
    try {
      found = this.options.detect(block.text.slice(at, end));
    } catch {
      // Detection failed on this window: skip it.
    }
    const last = end >= block.length;
    const ownTo = last ? Number.POSITIVE_INFINITY : end - WINDOW_OVERLAP;
    const list: Indicator[] = [];
    for (const indicator of found) {
      const start = indicator.start + at;
      if (start < ownFrom || start >= ownTo) continue;
      list.push({ ...indicator, start, end: indicator.end + at });
    }
    this.addHits(block, list, 0, list.length, 0, true);
    if (last || this.budget.charsExhausted) {
      this.big = null;
    } else {
      big.ownFrom = ownTo;
      big.at = ownTo - WINDOW_CONTEXT;
    }
  }

  /**
   * Blocks with hits read before the page first rendered. Whether they are visible is asked only once it has: asking
   * earlier would make the page compute the style of everything at once, inside one of our slices.
   */
  private parked: { walked: WalkedBlock; found: Indicator[]; from: number; to: number; offset: number }[] =
    [];
  private parkedBy = new WeakMap<Text, WalkedBlock>();
  private rendered = true;

  /** Holds visibility checks until the page has rendered a frame (or `maxWaitMs` passed: a background tab). */
  awaitFirstFrame(win: Window, maxWaitMs = 500): void {
    if (!win.requestAnimationFrame) return;
    this.rendered = false;
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      this.rendered = true;
      if (this.running && this.parked.length > 0) this.runner.request();
    };
    win.requestAnimationFrame(() => setTimeout(go, 0));
    setTimeout(go, maxWaitMs);
  }

  private addParked(deadline: number): void {
    let i = 0;
    while (i < this.parked.length) {
      const { walked, found, from, to, offset } = this.parked[i] as (typeof this.parked)[number];
      i++;
      const first = walked.nodes[0];
      // Skipped when the block was read again meanwhile (a change before the first frame).
      if (first?.isConnected && this.parkedBy.get(first) === walked && !this.blockOf.has(first))
        this.addHits(walked, found, from, to, offset);
      if ((i & 7) === 0 && performance.now() >= deadline) break;
    }
    this.parked.splice(0, i);
    if (this.parked.length === 0) this.parkedBy = new WeakMap();
  }

  /**
   * The fast path does not ask whether new blocks are visible: right after a change, the first such question makes
   * the page recalculate its style inside our microtask. Their hits are shown (on hidden text they paint nothing)
   * and checked after the next frame, when the answer is cheap; reports wait for that check.
   */
  private presumeVisible = false;
  private unverified: HitBlock[] = [];
  private verifyScheduled = false;

  private scheduleVerify(): void {
    if (this.verifyScheduled) return;
    this.verifyScheduled = true;
    const win = this.options.doc.defaultView;
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      this.verifyScheduled = false;
      this.verify();
    };
    win?.requestAnimationFrame?.(() => setTimeout(go, 0));
    setTimeout(go, 100);
  }

  private verify(): void {
    const blocks = this.unverified;
    this.unverified = [];
    if (!this.running) return;
    const check = this.options.isVisible;
    for (const block of blocks) {
      const first = block.nodes[0];
      if (!check || !first || this.blockOf.get(first) !== block) continue;
      const t0 = performance.now();
      const container = first.parentElement;
      let visible = container ? this.visibleCache.get(container) : undefined;
      if (visible === undefined) visible = check(block);
      this.stats.visibilityMs += performance.now() - t0;
      if (!visible) this.dropBlock(block);
    }
    this.visibleCache = new WeakMap();
    if (!this.runner.busy) this.onIdle();
  }

  /** Adds the hits `found[from..to)`, whose offsets are `offset` ahead of the block's own. */
  private addHits(
    walked: WalkedBlock,
    found: Indicator[],
    from: number,
    to: number,
    offset: number,
    windowed = false,
  ): void {
    if (from >= to) return;
    if (this.budget.hitsExhausted(this.hitTotal)) return;
    const existing = windowed ? this.blockOf.get(walked.nodes[0] as Text) : undefined;
    const presumed = !existing && !windowed && this.presumeVisible && this.options.isVisible !== undefined;
    if (!existing && this.options.isVisible && !presumed) {
      const t0 = performance.now();
      const container = walked.nodes[0]?.parentElement;
      let visible = container ? this.visibleCache.get(container) : undefined;
      if (visible === undefined && !this.rendered && !windowed) {
        if (this.parkedBy.get(walked.nodes[0] as Text) !== walked) {
          this.parked.push({ walked, found, from, to, offset });
          this.parkedBy.set(walked.nodes[0] as Text, walked);
        }
        return;
      }
      if (visible === undefined) {
        visible = this.options.isVisible(walked);
        if (container) this.visibleCache.set(container, visible);
      }
      const took = performance.now() - t0;
      this.stats.visibilityMs += took;
      if (took > this.stats.longestVisibilityMs) this.stats.longestVisibilityMs = took;
      if (!visible) return;
    }
    let block: HitBlock;
    if (existing) block = existing;
    else if (windowed)
      block = { nodes: walked.nodes, starts: walked.starts, length: walked.length, hits: [] };
    else {
      // The walked block becomes the hit block (one object less per block); its text is not kept.
      block = walked as WalkedBlock & HitBlock;
      block.hits = [];
      (walked as { text: string }).text = '';
    }
    const makeRange = this.options.makeRange ?? defaultRange;
    const single = block.nodes.length === 1 ? (block.nodes[0] as Text) : null;
    for (let i = from; i < to; i++) {
      const indicator = found[i] as Indicator;
      const start = indicator.start - offset;
      const end = indicator.end - offset;
      if (end > block.length) continue; // spans two blocks: not one indicator on the page
      let position: BlockPosition | null;
      if (single) {
        if (start < 0 || end <= start) continue;
        position = { startNode: single, startOffset: start, endNode: single, endOffset: end };
      } else position = locate(block, start, end);
      if (!position) continue;
      const hit = new LazyHit(indicator, block, start, end, position, makeRange);
      if (this.options.lookupKnowledge && isKnowledgeId(hit.type)) {
        const known = this.knowledge.get(hit.value);
        if (known === undefined || known === 'pending') {
          hit.state = 'pending';
          this.await(hit);
        } else if (known !== 'absent') {
          if (known.status === 'unknown') continue;
          hit.knowledge = known;
        }
      }
      block.hits.push(hit);
      if (hit.state === 'shown') this.show(hit);
    }
    if (block.hits.length === 0 || existing) return;
    if (presumed) this.unverified.push(block);
    this.stats.blocks++;
    for (const node of block.nodes) this.blockOf.set(node, block);
  }

  private show(hit: Hit): void {
    hit.state = 'shown';
    if (!this.families || this.families.has(hit.family)) this.painter.show(hit);
    this.hitTotal++;
    this.stats.hits = this.hitTotal;
    const key = `${hit.type}\u0000${hit.value}`;
    const seen = this.counts.get(key);
    if (seen) seen.count++;
    else
      this.counts.set(key, {
        type: hit.type,
        value: hit.value,
        count: 1,
        ...(hit.scope ? { scope: hit.scope } : {}),
      });
    this.markDirty();
  }

  private unshow(hit: Hit): void {
    if (hit.state !== 'shown') return;
    this.painter.hide(hit);
    this.hitTotal--;
    this.stats.hits = this.hitTotal;
    const key = `${hit.type}\u0000${hit.value}`;
    const seen = this.counts.get(key);
    if (seen) {
      seen.count--;
      if (seen.count <= 0) this.counts.delete(key);
    }
    this.markDirty();
  }

  private forgetNodes(nodes: Text[]): void {
    if (this.blockOf.size === 0) return;
    for (const node of nodes) {
      const old = this.blockOf.get(node);
      if (old) this.dropBlock(old);
    }
  }

  private dropBlock(block: HitBlock): void {
    for (const hit of block.hits) {
      if (hit.state === 'shown') this.unshow(hit);
      hit.state = 'pending';
    }
    block.hits = [];
    this.stats.blocks--;
    for (const node of block.nodes) if (this.blockOf.get(node) === block) this.blockOf.delete(node);
  }

  private dropSubtree(node: Node): void {
    if (this.blockOf.size === 0) return;
    if (node.nodeType === Node.TEXT_NODE) {
      const block = this.blockOf.get(node as Text);
      if (block) this.dropBlock(block);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    const doc = this.options.doc;
    const walker = doc.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let current: Node | null = walker.currentNode; current; current = walker.nextNode()) {
      if (current.nodeType === Node.TEXT_NODE) {
        const block = this.blockOf.get(current as Text);
        if (block) this.dropBlock(block);
      } else {
        const shadow = (current as Element).shadowRoot;
        if (shadow && this.roots.has(shadow)) {
          this.dropSubtree(shadow);
          this.roots.delete(shadow);
        }
      }
    }
  }

  // ---- knowledge --------------------------------------------------------------------------------------------

  private await(hit: Hit): void {
    let list = this.awaiting.get(hit.value);
    if (!list) {
      list = [];
      this.awaiting.set(hit.value, list);
    }
    list.push(hit);
    if (this.knowledge.get(hit.value) !== 'pending') {
      this.knowledge.set(hit.value, 'pending');
      this.lookupQueue.add(hit.value);
    }
  }

  private async runLookups(): Promise<void> {
    const lookup = this.options.lookupKnowledge;
    if (!lookup || this.lookupRunning || this.lookupQueue.size === 0) return;
    this.lookupRunning = true;
    try {
      while (this.lookupQueue.size > 0) {
        const ids = [...this.lookupQueue].slice(0, 200);
        for (const id of ids) this.lookupQueue.delete(id);
        let entries: Record<string, KnowledgeEntry> | null = null;
        try {
          entries = await lookup(ids);
        } catch {
          entries = null;
        }
        for (const id of ids) {
          const entry = entries ? (entries[id] ?? { status: 'unknown' as const }) : 'absent';
          this.knowledge.set(id, entry);
          const hits = this.awaiting.get(id) ?? [];
          this.awaiting.delete(id);
          for (const hit of hits) {
            if (hit.state !== 'pending' || !hit.block.hits.includes(hit)) continue;
            if (entry !== 'absent' && entry.status === 'unknown') {
              hit.block.hits = hit.block.hits.filter((h) => h !== hit);
              continue;
            }
            if (entry !== 'absent') hit.knowledge = entry;
            this.show(hit);
          }
        }
      }
    } finally {
      this.lookupRunning = false;
      this.onIdle();
    }
  }

  // ---- reporting --------------------------------------------------------------------------------------------

  private markDirty(): void {
    this.reportDirty = true;
  }

  private onIdle(): void {
    // Blocks waiting for the first frame are still work to do (`awaitFirstFrame` restarts the runner).
    if (this.runner.busy || this.parked.length > 0) return;
    this.visibleCache = new WeakMap();
    if (this.gated) {
      this.resolveIdle();
      return;
    }
    // What is known is shown now; ids waiting for the knowledge base follow when it answers.
    this.commit();
    if (this.lookupQueue.size > 0) {
      void this.runLookups();
      return;
    }
    if (this.lookupRunning) return;
    const now = performance.now();
    this.stats.lastIdleAt = now;
    if (this.stats.firstIdleAt === 0 && this.running) this.stats.firstIdleAt = now;
    if (this.reportDirty && this.unverified.length === 0) this.scheduleReport();
    this.resolveIdle();
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private commit(): void {
    if (this.gated) return;
    this.lastCommit = performance.now();
    const changed = this.painter.hasPending;
    if (this.unstyled.length > 0) {
      for (const root of this.unstyled) if (this.roots.has(root)) adoptHighlightStyles(root);
      this.unstyled = [];
    }
    this.painter.held = false;
    this.painter.commit();
    if (changed) this.stats.lastCommitAt = performance.now();
  }

  private scheduleReport(): void {
    if (this.reportTimer !== undefined) return;
    const every = this.options.reportEveryMs ?? 400;
    const wait = Math.max(0, this.lastReport + every - performance.now());
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      // Rows not yet checked for visibility: the check reports when it is done.
      if (this.unverified.length > 0) return;
      this.sendReport();
    }, wait);
  }

  /** Sends the complete set now. */
  sendReport(): void {
    this.reportDirty = false;
    this.lastReport = performance.now();
    this.options.report(this.indicators());
  }

  private clearState(): void {
    this.painter.clear();
    this.blockOf.clear();
    this.counts.clear();
    this.regions.length = 0;
    this.queued.clear();
    this.records = [];
    this.walker = null;
    this.big = null;
    this.batch = emptyBatch();
    this.parked = [];
    this.unverified = [];
    this.awaiting.clear();
    this.lookupQueue.clear();
    for (const [id, entry] of this.knowledge) if (entry === 'pending') this.knowledge.delete(id);
    this.hitTotal = 0;
    this.stats.hits = 0;
    this.stats.blocks = 0;
    this.stats.budget = undefined;
    this.budget.reset();
    this.markDirty();
  }
}

/**
 * A hit whose DOM range is made when first asked for: on a large page only the ranges near the viewport are ever
 * registered, so most hits never need one.
 */
class LazyHit implements Hit {
  readonly type: Indicator['type'];
  readonly value: string;
  readonly family: IndicatorFamily;
  readonly element: Element | null;
  scope?: Indicator['scope'];
  defanged?: boolean;
  state: Hit['state'] = 'shown';
  knowledge?: KnowledgeEntry;
  private made: AbstractRange | null = null;

  constructor(
    indicator: Indicator,
    readonly block: HitBlock,
    readonly start: number,
    readonly end: number,
    private position: BlockPosition | null,
    private readonly makeRange: (position: BlockPosition) => AbstractRange,
  ) {
    this.type = indicator.type;
    this.value = indicator.value;
    this.family = familyOf(indicator.type);
    this.element = (position as BlockPosition).startNode.parentElement;
    if (indicator.scope) this.scope = indicator.scope;
    if (indicator.defanged) this.defanged = true;
  }

  get range(): AbstractRange {
    if (!this.made) {
      this.made = this.makeRange(this.position as BlockPosition);
      this.position = null;
    }
    return this.made;
  }
}

function ascending(found: Indicator[]): boolean {
  for (let i = 1; i < found.length; i++)
    if ((found[i] as Indicator).start < (found[i - 1] as Indicator).start) return false;
  return true;
}

function emptyBatch() {
  return { blocks: [] as WalkedBlock[], starts: [] as number[], parts: [] as string[], length: 0 };
}

function defaultRange(position: BlockPosition): AbstractRange {
  return new StaticRange({
    startContainer: position.startNode,
    startOffset: position.startOffset,
    endContainer: position.endNode,
    endOffset: position.endOffset,
  });
}

function isBlockElement(node: Node): boolean {
  return node.nodeType === Node.ELEMENT_NODE && isBlockBoundary(node as Element);
}

/** True when an inserted block element sits next to inline content (it splits a line of text in two). */
function hasInlineNeighbour(el: Element): boolean {
  for (const sibling of [el.previousSibling, el.nextSibling]) {
    if (!sibling) continue;
    if (sibling.nodeType === Node.TEXT_NODE && /\S/.test((sibling as Text).data)) return true;
    if (sibling.nodeType === Node.ELEMENT_NODE && !isBlockBoundary(sibling as Element)) return true;
  }
  return false;
}
