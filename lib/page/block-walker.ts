import { isBlockTag, isSkippedElement } from './skip-rules';
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
  private cursor: Node;
  private descend = true;
  private nodes: Text[] = [];
  private starts: number[] = [];
  private parts: string[] = [];
  private length = 0;
  private boundary = false;
  private done = false;
  /** Characters read so far (for the work budget). */
  chars = 0;

  constructor(
    readonly root: Node,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    // A plain loop over firstChild / nextSibling: no per-node callback from a TreeWalker filter into script.
    this.cursor = root;
  }

  /** False once the walk has reached the end. */
  get active(): boolean {
    return !this.done;
  }

  /** The node the walk is at; when it has been removed from the page, the walk cannot go on reliably. */
  get position(): Node {
    return this.cursor;
  }

  /** The next block (possibly blank), or null at the end of the root. */
  next(): WalkedBlock | null {
    while (!this.done) {
      const node = this.advance();
      if (!node) {
        this.done = true;
        return this.flush();
      }
      const value = node.data;
      this.chars += value.length;
      let ended: WalkedBlock | null = null;
      if (this.boundary && this.nodes.length > 0) ended = this.flush();
      this.boundary = false;
      // Whitespace that opens a block (the newlines between table rows, list items, …) is not read: it holds no
      // indicator and would only make blocks of its own.
      if (this.nodes.length === 0 && isBlank(value)) {
        if (ended) return ended;
        continue;
      }
      this.nodes.push(node);
      this.starts.push(this.length);
      this.parts.push(value);
      this.length += value.length;
      if (ended) return ended;
    }
    return null;
  }

  /** Moves to the next text node in document order, noting block boundaries entered or left on the way. */
  private advance(): Text | null {
    const root = this.root;
    let node: Node = this.cursor;
    for (;;) {
      let next: Node | null = this.descend ? node.firstChild : null;
      if (!next) {
        // Leaving `node`, and as many ancestors as have no next sibling.
        let up: Node = node;
        for (;;) {
          if (up === root) return null;
          if (!this.boundary && up.nodeType === 1 && isBlockTag((up as Element).tagName))
            this.boundary = true;
          const sibling: Node | null = up.nextSibling;
          if (sibling) {
            next = sibling;
            break;
          }
          const parent: Node | null = up.parentNode;
          if (!parent) return null;
          up = parent;
        }
      }
      node = next;
      const type = node.nodeType;
      if (type === 3) {
        this.cursor = node;
        this.descend = false;
        return node as Text;
      }
      this.cursor = node;
      if (type === 1) {
        const el = node as Element;
        const tag = el.tagName;
        if (isSkippedElement(el, tag)) {
          this.boundary = true;
          this.descend = false;
          continue;
        }
        const shadow = el.shadowRoot;
        if (shadow) this.onShadowRoot(shadow);
        if (isBlockTag(tag)) this.boundary = true;
        this.descend = true;
        continue;
      }
      this.descend = false;
    }
  }

  private flush(): WalkedBlock | null {
    if (this.nodes.length === 0) return null;
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join('');
    const block: WalkedBlock = { nodes: this.nodes, starts: this.starts, length: this.length, text };
    this.nodes = [];
    this.starts = [];
    this.parts = [];
    this.length = 0;
    return block;
  }
}

/** True for a short run of whitespace (longer text is judged by the caller). */
function isBlank(value: string): boolean {
  if (value.length > 16) return false;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 32) return false;
  return true;
}
