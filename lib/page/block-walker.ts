import { blockContainerOf, isBlockBoundary, isSkippedElement } from './skip-rules';
import type { TextBlock } from './text-block';

/** A block plus its joined text, as the walker produces it. */
export interface WalkedBlock extends TextBlock {
  text: string;
}

/**
 * Walks one root (a document, an element, a shadow root) and yields its text blocks one at a time, so the caller
 * can stop at a deadline and resume later. Skipped subtrees (scripts, form fields, editors, Riposte's UI) are not
 * entered; open shadow roots met on the way are handed to `onShadowRoot` (they are walked as roots of their own).
 */
export class BlockWalker {
  private readonly walker: TreeWalker;
  private nodes: Text[] = [];
  private starts: number[] = [];
  private parts: string[] = [];
  private length = 0;
  private container: Node | null = null;
  private boundary = false;
  private done = false;
  /** Characters read so far (for the work budget). */
  chars = 0;

  constructor(
    readonly root: Node,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : (root.ownerDocument as Document);
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => {
        if (node.nodeType !== Node.ELEMENT_NODE) return NodeFilter.FILTER_ACCEPT;
        const el = node as Element;
        if (isSkippedElement(el)) {
          this.boundary = true;
          return NodeFilter.FILTER_REJECT;
        }
        const shadow = el.shadowRoot;
        if (shadow) this.onShadowRoot(shadow);
        if (isBlockBoundary(el)) this.boundary = true;
        return NodeFilter.FILTER_SKIP;
      },
    });
  }

  /** False once the walk has reached the end. */
  get active(): boolean {
    return !this.done;
  }

  /** The node the walk is at; when it has been removed from the page, the walk cannot go on reliably. */
  get position(): Node {
    return this.walker.currentNode;
  }

  /** The next block with some non-blank text, or null at the end of the root. */
  next(): WalkedBlock | null {
    while (!this.done) {
      const node = this.walker.nextNode() as Text | null;
      if (!node) {
        this.done = true;
        return this.flush();
      }
      const value = node.data;
      this.chars += value.length;
      const container = blockContainerOf(node);
      let ended: WalkedBlock | null = null;
      if (this.nodes.length > 0 && (this.boundary || container !== this.container)) ended = this.flush();
      this.boundary = false;
      this.container = container;
      this.nodes.push(node);
      this.starts.push(this.length);
      this.parts.push(value);
      this.length += value.length;
      if (ended) return ended;
    }
    return null;
  }

  private flush(): WalkedBlock | null {
    if (this.nodes.length === 0) return null;
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join('');
    const block: WalkedBlock = { nodes: this.nodes, starts: this.starts, length: this.length, text };
    this.nodes = [];
    this.starts = [];
    this.parts = [];
    this.length = 0;
    this.container = null;
    return /\S/.test(text) ? block : null;
  }
}
