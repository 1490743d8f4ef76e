import type { z } from 'zod';
import {
  type Messages,
  messages,
  type ReplyOf,
  type RequestOf,
  RequestSchema,
  type RequestType,
} from './protocol';
import type { ErrorReply } from './schemas';
import { classifySender, type ExtensionIdentity, type MessageSenderLike, type SenderClass } from './sender';

export type TrustedSender = Exclude<SenderClass, { kind: 'untrusted' }>;

export type Handler<T extends RequestType> = (
  request: RequestOf<T>,
  sender: TrustedSender,
) => ReplyOf<T> | Promise<ReplyOf<T>>;

export type Handlers = { [T in RequestType]?: Handler<T> };

export interface RouterOptions {
  self: ExtensionIdentity;
  handlers: Handlers;
  /** Where refusals are logged; defaults to console.warn. Never passed message payloads, only reasons. */
  log?: (reason: string) => void;
}

/**
 * Builds the background's single `runtime.onMessage` entry: classify the sender, parse the request against the
 * protocol, check that this sender class may send it, then run its handler. Anything else gets `{ error }` and a
 * logged reason; nothing is half-handled.
 */
export function createRouter({ self, handlers, log = (r) => console.warn(`[riposte] ${r}`) }: RouterOptions) {
  return async function route(raw: unknown, rawSender: MessageSenderLike): Promise<unknown> {
    const sender = classifySender(rawSender, self);
    if (sender.kind === 'untrusted') {
      log(`refused a message: ${sender.reason}`);
      return refuse('Refused: unknown sender.');
    }
    const parsed = RequestSchema.safeParse(raw);
    if (!parsed.success) {
      const type = describeType(raw);
      log(`rejected a malformed ${type} message from ${describeSender(sender)}: ${summarise(parsed.error)}`);
      return refuse(`Malformed ${type} message: ${summarise(parsed.error)}`);
    }
    const request = parsed.data;
    const type = request.type as RequestType;
    const def: Messages[RequestType] = messages[type];
    if (!def.from.includes(sender.kind)) {
      log(`refused ${type} from ${describeSender(sender)}: only ${def.from.join(' / ')} may send it`);
      return refuse(`Refused: ${type} may not be sent from a ${sender.kind.replace('-', ' ')}.`);
    }
    const handler = handlers[type] as Handler<typeof type> | undefined;
    if (!handler) {
      log(`no handler for ${type}`);
      return refuse(`Riposte cannot handle ${type} here.`);
    }
    try {
      return await handler(request as RequestOf<typeof type>, sender);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${type} failed: ${message}`);
      return refuse(message);
    }
  };
}

function refuse(error: string): ErrorReply {
  return { error };
}

function describeType(raw: unknown): string {
  if (raw && typeof raw === 'object' && 'type' in raw && typeof raw.type === 'string') {
    return JSON.stringify(raw.type.slice(0, 64));
  }
  return 'untyped';
}

function describeSender(sender: TrustedSender): string {
  return sender.kind === 'content-script'
    ? `content script of tab ${sender.tabId} frame ${sender.frameId}`
    : 'extension page';
}

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
