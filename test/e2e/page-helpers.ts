import type { Frame, Page } from '@playwright/test';
import { evaluateInContentScript } from './content-world';

/** What Riposte currently highlights in a page's top frame, as "family:text" strings, read from CSS.highlights. */
export async function highlightedTexts(page: Page, extensionId: string): Promise<string[]> {
  return evaluateInContentScript<string[]>(
    page,
    extensionId,
    `(async () => {
      await globalThis.__riposte.idle();
      const out = [];
      for (const [name, highlight] of CSS.highlights) {
        if (!name.startsWith('riposte-') || name === 'riposte-flash') continue;
        for (const r of highlight) {
          const range = document.createRange();
          range.setStart(r.startContainer, r.startOffset);
          range.setEnd(r.endContainer, r.endOffset);
          out.push(name.slice('riposte-'.length) + ':' + range.toString());
        }
      }
      return out.sort();
    })()`,
  );
}

/** Waits until the content script in the top frame has no queued work. */
export async function scannerIdle(page: Page, extensionId: string): Promise<void> {
  await evaluateInContentScript(page, extensionId, 'globalThis.__riposte.idle().then(() => true)');
}

/** Serialises a frame's DOM including open shadow roots (what "the page's DOM is not modified" compares). */
export async function serialiseDom(frame: Page | Frame): Promise<string> {
  return frame.evaluate(() => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return `#text(${(node as Text).data})`;
      if (node.nodeType === Node.COMMENT_NODE) return `<!--${(node as Comment).data}-->`;
      if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return '';
      let out = '';
      if (node.nodeType === Node.ELEMENT_NODE) {
        const el = node as Element;
        const attrs = [...el.attributes].map((a) => `${a.name}="${a.value}"`).join(' ');
        out += `<${el.tagName.toLowerCase()} ${attrs}>`;
        if (el.shadowRoot) out += `#shadow(${walk(el.shadowRoot)})`;
      }
      for (const child of node.childNodes) out += walk(child);
      if (node.nodeType === Node.ELEMENT_NODE) out += `</${(node as Element).tagName.toLowerCase()}>`;
      return out;
    };
    return walk(document.documentElement);
  });
}
