import type { Frame, Page } from '@playwright/test';

/** What Riposte currently highlights in a page's top frame, as "family:text" strings, read from CSS.highlights. */
export async function highlightedTexts(
  page: Page,
  extensionId: string,
  frameUrl?: string,
): Promise<string[]> {
  return inContentWorld<string[]>(
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
    frameUrl,
  );
}

/** Waits until the content script in the top frame has no queued work. */
export async function scannerIdle(page: Page, extensionId: string, frameUrl?: string): Promise<void> {
  await inContentWorld(page, extensionId, 'globalThis.__riposte.idle().then(() => true)', frameUrl);
}

interface FrameTree {
  frame: { id: string; url: string; urlFragment?: string };
  childFrames?: FrameTree[];
}

/**
 * Evaluates `expression` in Riposte's content-script world of one frame: the top frame, or the first frame whose
 * URL contains `frameUrl` (srcdoc frames have the URL `about:srcdoc`).
 */
export async function inContentWorld<T>(
  page: Page,
  extensionId: string,
  expression: string,
  frameUrl?: string,
): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: { id: number; origin: string; auxData?: { type?: string; frameId?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
    await cdp.send('Page.enable');
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: FrameTree };
    const frames: FrameTree['frame'][] = [];
    const collect = (tree: FrameTree) => {
      frames.push(tree.frame);
      for (const child of tree.childFrames ?? []) collect(child);
    };
    collect(frameTree);
    const frame = frameUrl ? frames.find((f) => f.url.includes(frameUrl)) : frameTree.frame;
    if (!frame) throw new Error(`no frame with URL containing ${frameUrl}`);
    await cdp.send('Runtime.enable');
    const deadline = Date.now() + 10_000;
    let target: (typeof contexts)[number] | undefined;
    while (!target && Date.now() < deadline) {
      target = contexts.find(
        (c) =>
          c.auxData?.type === 'isolated' &&
          c.auxData.frameId === frame.id &&
          c.origin === `chrome-extension://${extensionId}`,
      );
      if (!target) await new Promise((r) => setTimeout(r, 50));
    }
    if (!target) throw new Error(`Riposte content script world not found in frame ${frame.url}`);
    // The content script may not have set itself up yet.
    const result = await cdp.send('Runtime.evaluate', {
      expression: `(async () => { for (let i = 0; i < 200 && !globalThis.__riposte; i++) await new Promise((r) => setTimeout(r, 25)); return (${expression}); })()`,
      contextId: target.id,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.exceptionDetails)
      throw new Error(result.exceptionDetails.exception?.description ?? 'evaluation failed');
    return result.result.value as T;
  } finally {
    await cdp.detach();
  }
}

/** Text of Riposte's hover card (read through the DevTools protocol, which sees into its closed shadow root). */
export async function hoverCard(
  page: Page,
): Promise<{ text: string; buttons: Record<string, { x: number; y: number }> } | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    type DomNode = {
      nodeId: number;
      backendNodeId: number;
      nodeName: string;
      nodeValue?: string;
      children?: DomNode[];
      shadowRoots?: DomNode[];
    };
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const find = (node: DomNode): DomNode | undefined => {
      if (node.nodeName === 'RIPOSTE-UI') return node;
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
        const hit = find(child);
        if (hit) return hit;
      }
      return undefined;
    };
    const host = find(root);
    if (!host) return null;
    const texts: string[] = [];
    const buttons: DomNode[] = [];
    const collect = (node: DomNode, inStyle: boolean) => {
      if (node.nodeName === '#text' && !inStyle) texts.push(node.nodeValue ?? '');
      if (node.nodeName === 'BUTTON') buttons.push(node);
      for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])])
        collect(child, inStyle || node.nodeName === 'STYLE');
    };
    collect(host, false);
    const boxes: Record<string, { x: number; y: number }> = {};
    for (const button of buttons) {
      const label = (button.children ?? []).map((c) => c.nodeValue ?? '').join('');
      // The card may close between the snapshot and this call: a button without a box is not on screen.
      const box = (await cdp
        .send('DOM.getBoxModel', { backendNodeId: button.backendNodeId })
        .catch(() => null)) as { model: { content: number[] } } | null;
      if (!box) continue;
      const { model } = box;
      const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
      boxes[label] = { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
    }
    return { text: texts.join(' '), buttons: boxes };
  } finally {
    await cdp.detach();
  }
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

/** Centre of the first occurrence of `text` within one text node of the page (for pointing at it). */
export async function textCentre(page: Page, text: string): Promise<{ x: number; y: number }> {
  return page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const at = node.data.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      const box = range.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }
    throw new Error(`"${needle}" is not on the page`);
  }, text);
}

/** `tab.indicators` for a tab, asked from an extension page, as "type:value×count" strings. */
export async function tabIndicators(panel: Page, tabId: number): Promise<string[]> {
  const reply = (await panel.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id }),
    tabId,
  )) as { indicators?: { type: string; value: string; count: number }[]; error?: string };
  if (!reply.indicators) throw new Error(reply.error ?? 'no reply');
  return reply.indicators.map((i) => `${i.type}:${i.value}×${i.count}`).sort();
}
