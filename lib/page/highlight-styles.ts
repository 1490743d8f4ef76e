import type { IndicatorFamily } from '../detect/types';

/**
 * The `::highlight()` styles, one per family, added to a document or shadow root through `adoptedStyleSheets`
 * (not a node in the page's DOM). Translucent backgrounds over the page's own text colour plus a solid underline
 * keep the text readable on light and dark consoles alike.
 */
export const FAMILIES: readonly IndicatorFamily[] = ['network', 'hash', 'attack', 'd3fend', 'vulnerability'];

export const HIGHLIGHT_PREFIX = 'riposte-';
export const FLASH_HIGHLIGHT = 'riposte-flash';

export function highlightName(family: IndicatorFamily): string {
  return `${HIGHLIGHT_PREFIX}${family}`;
}

const COLOURS: Record<IndicatorFamily, { fill: string; line: string }> = {
  network: { fill: 'rgba(255, 176, 32, 0.38)', line: '#e08a00' },
  hash: { fill: 'rgba(64, 156, 255, 0.34)', line: '#2f7be0' },
  attack: { fill: 'rgba(220, 80, 200, 0.32)', line: '#c03ab0' },
  d3fend: { fill: 'rgba(40, 190, 120, 0.34)', line: '#15a060' },
  vulnerability: { fill: 'rgba(240, 70, 70, 0.34)', line: '#d83030' },
};

export function highlightCss(): string {
  const rules = FAMILIES.map((family) => {
    const { fill, line } = COLOURS[family];
    return `::highlight(${highlightName(family)}) { background-color: ${fill}; text-decoration: underline 2px ${line}; text-underline-offset: 2px; }`;
  });
  rules.push(
    `::highlight(${FLASH_HIGHLIGHT}) { background-color: rgba(255, 235, 59, 0.9); color: #111; text-decoration: underline 3px #ff6d00; }`,
  );
  return rules.join('\n');
}

const adopted = new WeakSet<Document | ShadowRoot>();
let sheet: CSSStyleSheet | undefined;

/** Adds the highlight styles to `root` once. Returns false where constructable style sheets are not supported. */
export function adoptHighlightStyles(root: Document | ShadowRoot): boolean {
  if (adopted.has(root)) return true;
  try {
    const view = (root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : root.ownerDocument)
      ?.defaultView;
    const Sheet = view?.CSSStyleSheet ?? CSSStyleSheet;
    if (!sheet || !(sheet instanceof Sheet)) {
      sheet = new Sheet();
      sheet.replaceSync(highlightCss());
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    adopted.add(root);
    return true;
  } catch {
    return false;
  }
}

/** Whether a root still holds the styles (a page may overwrite `adoptedStyleSheets`); re-adds them if not. */
export function ensureHighlightStyles(root: Document | ShadowRoot): void {
  if (sheet && adopted.has(root) && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}
