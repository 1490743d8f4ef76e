/**
 * Which parts of a page Riposte reads, decided from tag names and attributes only: no computed style, no layout,
 * so the walk never forces the page to recalculate anything.
 */

/** Subtrees that are never read: not visible text, form fields, or the page's own code. */
const SKIPPED_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'INPUT',
  'SELECT',
  'OPTION',
  'HEAD',
  'TITLE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'svg',
  'math',
]);

/** The tag of Riposte's own UI host (the hover card lives in its closed shadow root). */
export const UI_HOST_TAG = 'riposte-ui';

/** Class names of code editors: their text is code being edited, not something the analyst is reading. */
const EDITOR_CLASSES = ['CodeMirror', 'cm-editor', 'monaco-editor', 'ace_editor'];

/**
 * Inline elements: text on both sides of them belongs to the same line of reading, so `10.1.<em>2.3</em>` is read
 * as one string. Every other element (div, td, li, p, br, custom elements, …) separates blocks of text.
 */
const INLINE_TAGS = new Set([
  'A',
  'ABBR',
  'B',
  'BDI',
  'BDO',
  'CITE',
  'CODE',
  'DATA',
  'DEL',
  'DFN',
  'EM',
  'FONT',
  'I',
  'INS',
  'KBD',
  'MARK',
  'Q',
  'S',
  'SAMP',
  'SMALL',
  'SPAN',
  'STRIKE',
  'STRONG',
  'SUB',
  'SUP',
  'TIME',
  'TT',
  'U',
  'VAR',
  'WBR',
  'LABEL',
  'NOBR',
]);

/** True when `el` and everything under it must not be read. */
export function isSkippedElement(el: Element, tag: string = el.tagName): boolean {
  if (SKIPPED_TAGS.has(tag)) return true;
  if (tag.length > 8 && tag.toLowerCase() === UI_HOST_TAG) return true;
  // Most elements of a big table or log carry no attribute at all: nothing more to look at.
  if (!el.hasAttributes()) return false;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable !== 'false') return true;
  if ((el as HTMLElement).hidden === true) return true;
  if (tag === 'DIV') {
    const cls = el.getAttribute('class');
    if (cls !== null && cls.length > 0) {
      for (const name of EDITOR_CLASSES) if (cls.includes(name) && el.classList.contains(name)) return true;
    }
  }
  return false;
}

/** True when `el` separates blocks of text (anything not inline). */
export function isBlockBoundary(el: Element): boolean {
  return !INLINE_TAGS.has(el.tagName);
}

/** `isBlockBoundary` for a tag name already read. */
export function isBlockTag(tag: string): boolean {
  return !INLINE_TAGS.has(tag);
}

/**
 * The nearest ancestor (or `node` itself) that is a block boundary, or the root (shadow root / document) when none
 * is. Text inside the same container, with no boundary between, is read as one string.
 */
export function blockContainerOf(node: Node): Node {
  let current: Node | null = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
  while (current) {
    if (current.nodeType !== Node.ELEMENT_NODE) return current;
    if (isBlockBoundary(current as Element)) return current;
    const parent: Node | null = current.parentNode;
    if (!parent) return current;
    current = parent;
  }
  return node;
}

/** True when `node` lies in a subtree Riposte does not read (checked up to its root; shadow hosts are crossed). */
export function isInSkippedSubtree(node: Node): boolean {
  let current: Node | null = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
  while (current) {
    if (current.nodeType === Node.ELEMENT_NODE) {
      if (isSkippedElement(current as Element)) return true;
      current = current.parentNode;
    } else if (current.nodeType === Node.DOCUMENT_FRAGMENT_NODE) {
      current = (current as ShadowRoot).host ?? null;
    } else return false;
  }
  return false;
}
