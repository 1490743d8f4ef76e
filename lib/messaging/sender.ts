/**
 * Sender classification: the single place that decides how much a message's sender is trusted.
 *
 * - `extension-page`: a page of this extension (side panel, options, an extension page opened in a tab). Trusted.
 * - `content-script`: this extension's content script in tab N, frame F. Trusted with nothing secret: it may report
 *   what it saw and ask for things to be shown, never read settings' secrets or execute an action.
 * - `untrusted`: anything else (another extension, a web page through externally_connectable, a sender without a
 *   tab that is not an extension page). Every message from it is refused.
 */
export type SenderClass =
  | { kind: 'extension-page'; url: string }
  | { kind: 'content-script'; tabId: number; frameId: number; url: string; documentId?: string }
  | { kind: 'untrusted'; reason: string };

export type SenderKind = SenderClass['kind'];

/** The subset of `runtime.MessageSender` the classification looks at (the same in Chrome and Firefox). */
export interface MessageSenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
  documentId?: string;
}

export interface ExtensionIdentity {
  /** `runtime.id` */
  id: string;
  /** `runtime.getURL('')`, e.g. `chrome-extension://abc/`. */
  baseUrl: string;
}

export function classifySender(sender: MessageSenderLike, self: ExtensionIdentity): SenderClass {
  if (!sender || typeof sender !== 'object') return { kind: 'untrusted', reason: 'no sender' };
  if (sender.id !== self.id) {
    return {
      kind: 'untrusted',
      reason: `sender is another extension or a web page (${sender.id ?? 'no id'})`,
    };
  }
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (url.startsWith(self.baseUrl)) return { kind: 'extension-page', url };
  const tabId = sender.tab?.id;
  if (typeof tabId === 'number' && tabId >= 0) {
    return {
      kind: 'content-script',
      tabId,
      frameId: typeof sender.frameId === 'number' ? sender.frameId : 0,
      url,
      ...(sender.documentId ? { documentId: sender.documentId } : {}),
    };
  }
  return { kind: 'untrusted', reason: 'sender is neither an extension page nor a content script in a tab' };
}
