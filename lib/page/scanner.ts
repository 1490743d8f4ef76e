import { browser } from 'wxt/browser';
import { detect } from '../detect/index';
import { sendRequest } from '../messaging/client';
import { ContentMessageSchema } from '../messaging/protocol';
import type { CountedIndicator } from '../messaging/schemas';

/**
 * Content-script side of detection: reads the frame's visible text, detects indicators and reports the frame's
 * complete set to the background. Holds no patterns of its own (they live in lib/detect).
 */
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT']);

export function readVisibleText(root: Node): string {
  const parts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!parent || SKIP.has(parent.tagName) || parent.isContentEditable) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.nodeValue ?? '');
  return parts.join('\n');
}

export function countIndicators(text: string): CountedIndicator[] {
  const counted = new Map<string, CountedIndicator>();
  for (const found of detect(text)) {
    const key = `${found.type}\u0000${found.value}`;
    const seen = counted.get(key);
    if (seen) seen.count++;
    else
      counted.set(key, {
        type: found.type,
        value: found.value,
        count: 1,
        ...(found.scope ? { scope: found.scope } : {}),
      });
  }
  return [...counted.values()];
}

export async function startPageScanner(signal: AbortSignal): Promise<void> {
  let enabled = false;
  const scan = async () => {
    const indicators = enabled && document.body ? countIndicators(readVisibleText(document.body)) : [];
    await sendRequest({ type: 'page.report', url: location.href, indicators });
  };
  let pending: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(pending);
    pending = setTimeout(() => void scan().catch(() => undefined), 100);
  };
  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const message = ContentMessageSchema.safeParse(raw);
    if (!message.success) return undefined;
    if (message.data.type === 'content.config') {
      enabled = message.data.config.enabled;
      schedule();
    }
    return undefined;
  });
  const config = await sendRequest({ type: 'page.config', url: location.href });
  enabled = config.enabled;
  if (signal.aborted) return;
  const observer = new MutationObserver(schedule);
  observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  signal.addEventListener('abort', () => observer.disconnect());
  await scan();
}
