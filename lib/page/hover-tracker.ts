import type { CardHost } from './card-host';
import type { Hit } from './page-scanner';

/**
 * Finds the highlighted indicator under the pointer. Pointer events only record the position; once per animation
 * frame the position is hit-tested with `caretPositionFromPoint` (the browser's own hit test, no layout reads of
 * ours), and the text position is looked up in the scanner's block index. Only when the candidate changes is the
 * range's box read, to confirm the pointer is really over it and to place the card.
 */
export interface HoverTrackerOptions {
  doc: Document;
  card: CardHost;
  hitAt: (node: Node, offset: number) => Hit | null;
  shadowRoots: () => ShadowRoot[];
  onEnter: (hit: Hit, box: DOMRect) => void;
  onLeave: () => void;
  /** Grace period before the card closes, so the pointer can travel onto it. */
  hideDelayMs?: number;
}

interface CaretPositionLike {
  offsetNode: Node;
  offset: number;
}

export class HoverTracker {
  private x = 0;
  private y = 0;
  private frame = 0;
  private current: Hit | null = null;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  private overCard = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: HoverTrackerOptions) {
    const { doc } = options;
    const listen = { capture: true, passive: true, signal: this.abort.signal };
    doc.addEventListener(
      'pointermove',
      (event) => {
        this.x = event.clientX;
        this.y = event.clientY;
        this.overCard = options.card.owns(event.target);
        if (!this.frame) this.frame = requestAnimationFrame(() => this.check());
      },
      listen,
    );
    doc.addEventListener('keydown', (event) => event.key === 'Escape' && this.leave(), listen);
    doc.addEventListener('scroll', () => this.current && this.leave(), listen);
  }

  stop(): void {
    this.abort.abort();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.hideTimer);
    this.current = null;
  }

  /** Forgets the current hit (its card was closed from outside). */
  forget(): void {
    this.current = null;
  }

  private check(): void {
    this.frame = 0;
    if (this.overCard) {
      clearTimeout(this.hideTimer);
      this.hideTimer = undefined;
      return;
    }
    const hit = this.hitUnderPointer();
    if (hit && hit === this.current) {
      clearTimeout(this.hideTimer);
      this.hideTimer = undefined;
      return;
    }
    if (hit) {
      const box = this.boxUnderPointer(hit);
      if (box) {
        clearTimeout(this.hideTimer);
        this.hideTimer = undefined;
        this.current = hit;
        this.options.onEnter(hit, box);
        return;
      }
    }
    if (this.current && this.hideTimer === undefined) {
      this.hideTimer = setTimeout(() => this.leave(), this.options.hideDelayMs ?? 300);
    }
  }

  private leave(): void {
    clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
    if (!this.current) return;
    this.current = null;
    this.options.onLeave();
  }

  private hitUnderPointer(): Hit | null {
    const caret = caretAt(this.options.doc, this.x, this.y, this.options.shadowRoots());
    if (!caret) return null;
    return this.options.hitAt(caret.offsetNode, caret.offset);
  }

  /** The box of the hit's line fragment under the pointer, or null when the pointer is beside it. */
  private boxUnderPointer(hit: Hit): DOMRect | null {
    const range = this.options.doc.createRange();
    try {
      range.setStart(hit.range.startContainer, hit.range.startOffset);
      range.setEnd(hit.range.endContainer, hit.range.endOffset);
    } catch {
      return null;
    }
    for (const rect of range.getClientRects()) {
      if (
        this.x >= rect.left - 1 &&
        this.x <= rect.right + 1 &&
        this.y >= rect.top - 1 &&
        this.y <= rect.bottom + 1
      )
        return rect;
    }
    return null;
  }
}

function caretAt(doc: Document, x: number, y: number, shadowRoots: ShadowRoot[]): CaretPositionLike | null {
  const withShadow = doc as Document & {
    caretPositionFromPoint?: (
      x: number,
      y: number,
      options?: { shadowRoots?: ShadowRoot[] },
    ) => CaretPositionLike | null;
  };
  if (withShadow.caretPositionFromPoint) {
    return withShadow.caretPositionFromPoint(x, y, shadowRoots.length > 0 ? { shadowRoots } : undefined);
  }
  const range = (
    doc as Document & { caretRangeFromPoint?: (x: number, y: number) => Range | null }
  ).caretRangeFromPoint?.(x, y);
  return range ? { offsetNode: range.startContainer, offset: range.startOffset } : null;
}
