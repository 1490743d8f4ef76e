import type { IndicatorFamily } from '../detect/types';
import type { HighlightSink } from './highlight-sink';

/**
 * Decides which detected ranges are registered in `CSS.highlights`, and when.
 *
 * Chromium re-validates every registered range of the document whenever any highlight changes (and before any
 * style or layout read), so each change costs time proportional to all registered ranges. Two rules keep that
 * bounded:
 * - changes are buffered and committed together (`commit()`: when the scanner goes idle, and every
 *   `commitEveryMs` during a long scan), never range by range;
 * - past `virtualizeAt` ranges (a 10,000-row log), only ranges near the viewport are registered. Ranges are
 *   grouped in chunks of consecutive hits; an IntersectionObserver (asynchronous, no layout reads of ours) watches
 *   each chunk's first and last element, and a chunk's ranges come and go as it scrolls in and out of the viewport
 *   plus a margin. Every hit stays detected, counted and reported meanwhile.
 */
export interface PaintedRange {
  family: IndicatorFamily;
  range: AbstractRange;
  /** The element whose visibility decides, in virtual mode, whether the range is registered. */
  element: Element | null;
}

export interface IntersectionObserverLike {
  observe(target: Element): void;
  unobserve(target: Element): void;
  disconnect(): void;
}

export interface HighlightPainterOptions {
  virtualizeAt?: number;
  /** How far beyond the viewport ranges stay registered in virtual mode. */
  rootMargin?: string;
  createObserver?: (
    callback: (entries: { target: Element; isIntersecting: boolean }[]) => void,
    rootMargin: string,
  ) => IntersectionObserverLike;
}

/** Consecutive ranges (in the order they were found) watched together through their first and last element. */
interface Chunk {
  items: Set<PaintedRange>;
  first: Element | null;
  last: Element | null;
  /** Watched elements (set when the chunk is sealed: full, or at a commit). */
  anchors: Element[];
  intersecting: Set<Element>;
  /** Whether the chunk's ranges are registered (near the viewport, or presumed so until the observer reports). */
  shown: boolean;
}

/** Ranges per chunk: small enough that a chunk is never taller than the margin around the viewport. */
const CHUNK_SIZE = 32;

export class HighlightPainter {
  private readonly all = new Set<PaintedRange>();
  private readonly registered = new Set<PaintedRange>();
  private pendingAdd = new Set<PaintedRange>();
  private pendingDelete = new Set<PaintedRange>();
  private virtual = false;
  private observer: IntersectionObserverLike | undefined;
  private readonly chunkOf = new Map<PaintedRange, Chunk>();
  private readonly chunksAt = new Map<Element, Set<Chunk>>();
  private open: Chunk | null = null;
  readonly virtualizeAt: number;
  /** While set, scrolling in and out buffers its changes too (the scanner is mid-run); `commit()` clears it. */
  held = false;
  /**
   * While set, new chunks are registered at once, as if near the viewport, until the observer's first report says
   * otherwise: a few rows just appended are painted in the next frame, not one frame after the observer runs.
   */
  presumeVisible = false;

  constructor(
    private readonly sink: HighlightSink,
    private readonly options: HighlightPainterOptions = {},
  ) {
    this.virtualizeAt = options.virtualizeAt ?? 4000;
  }

  /** True once only near-viewport ranges are registered. */
  get virtualized(): boolean {
    return this.virtual;
  }

  get size(): number {
    return this.all.size;
  }

  show(item: PaintedRange): void {
    if (this.all.has(item)) return;
    this.all.add(item);
    if (this.virtual) this.watch(item);
    else {
      this.want(item);
      if (this.all.size > this.virtualizeAt && this.options.createObserver) this.goVirtual();
    }
  }

  hide(item: PaintedRange): void {
    if (!this.all.delete(item)) return;
    const chunk = this.chunkOf.get(item);
    if (chunk) {
      this.chunkOf.delete(item);
      chunk.items.delete(item);
      if (chunk.items.size === 0) this.dropChunk(chunk);
    }
    this.unwant(item);
  }

  /** Applies the buffered changes to the highlight registry; the next ranges start a new chunk. */
  commit(): void {
    if (this.open) this.seal(this.open);
    for (const item of this.pendingDelete) this.sink.delete(item.family, item.range);
    for (const item of this.pendingAdd) this.sink.add(item.family, item.range);
    this.pendingDelete = new Set();
    this.pendingAdd = new Set();
  }

  get hasPending(): boolean {
    return this.pendingAdd.size > 0 || this.pendingDelete.size > 0;
  }

  clear(): void {
    this.all.clear();
    this.registered.clear();
    this.pendingAdd = new Set();
    this.pendingDelete = new Set();
    this.observer?.disconnect();
    this.observer = undefined;
    this.chunkOf.clear();
    this.chunksAt.clear();
    this.open = null;
    this.virtual = false;
    this.sink.clear();
  }

  private want(item: PaintedRange): void {
    if (this.registered.has(item)) return;
    this.registered.add(item);
    if (!this.pendingDelete.delete(item)) this.pendingAdd.add(item);
  }

  private unwant(item: PaintedRange): void {
    if (!this.registered.delete(item)) return;
    if (!this.pendingAdd.delete(item)) this.pendingDelete.add(item);
  }

  private goVirtual(): void {
    const create = this.options.createObserver;
    if (!create) return;
    this.virtual = true;
    this.observer = create((entries) => this.onIntersect(entries), this.options.rootMargin ?? '1500px 0px');
    for (const item of [...this.registered]) this.unwant(item);
    this.open = null;
    for (const item of this.all) this.watch(item);
  }

  private watch(item: PaintedRange): void {
    const element = item.element;
    if (!element) {
      this.want(item);
      return;
    }
    let chunk = this.open;
    if (!chunk) {
      chunk = {
        items: new Set(),
        first: element,
        last: element,
        anchors: [],
        intersecting: new Set(),
        shown: this.presumeVisible,
      };
      this.open = chunk;
    }
    chunk.items.add(item);
    if (chunk.shown) this.want(item);
    chunk.last = element;
    this.chunkOf.set(item, chunk);
    if (chunk.items.size >= CHUNK_SIZE) this.seal(chunk);
  }

  /** Starts watching a chunk through its first and last element. */
  private seal(chunk: Chunk): void {
    if (this.open === chunk) this.open = null;
    if (chunk.first) this.anchor(chunk, chunk.first);
    if (chunk.last && chunk.last !== chunk.first) this.anchor(chunk, chunk.last);
  }

  private anchor(chunk: Chunk, element: Element): void {
    chunk.anchors.push(element);
    let set = this.chunksAt.get(element);
    if (!set) {
      set = new Set();
      this.chunksAt.set(element, set);
      this.observer?.observe(element);
    }
    set.add(chunk);
  }

  private unanchor(chunk: Chunk, element: Element): void {
    chunk.intersecting.delete(element);
    const set = this.chunksAt.get(element);
    set?.delete(chunk);
    if (set && set.size === 0) {
      this.chunksAt.delete(element);
      this.observer?.unobserve(element);
    }
  }

  private dropChunk(chunk: Chunk): void {
    for (const element of chunk.anchors) this.unanchor(chunk, element);
    chunk.anchors = [];
    if (this.open === chunk) this.open = null;
  }

  private onIntersect(entries: { target: Element; isIntersecting: boolean }[]): void {
    const touched = new Set<Chunk>();
    for (const entry of entries) {
      for (const chunk of this.chunksAt.get(entry.target) ?? []) {
        if (entry.isIntersecting) chunk.intersecting.add(entry.target);
        else chunk.intersecting.delete(entry.target);
        touched.add(chunk);
      }
    }
    for (const chunk of touched) {
      const now = chunk.intersecting.size > 0;
      if (now === chunk.shown) continue;
      chunk.shown = now;
      for (const item of chunk.items) {
        if (now) this.want(item);
        else this.unwant(item);
      }
    }
    if (!this.held) this.commit();
  }
}

/** The browser's IntersectionObserver, relative to the viewport. */
export function viewportObserver(
  callback: (entries: { target: Element; isIntersecting: boolean }[]) => void,
  rootMargin: string,
): IntersectionObserverLike {
  return new IntersectionObserver((entries) => callback(entries), { rootMargin });
}
