import { browser } from 'wxt/browser';
import { type Messages, messages, type ReplyOf, type Request, type RequestType } from './protocol';
import { ErrorReplySchema } from './schemas';

/** A refusal or failure reported by the receiver, with its human-readable reason. */
export class MessageError extends Error {
  override name = 'MessageError';
}

/**
 * Sends a typed request to the background and parses the reply against the protocol. A `{ error }` reply or a reply
 * that does not match the schema throws `MessageError`.
 */
export async function sendRequest<R extends Request>(request: R): Promise<ReplyOf<R['type']>> {
  const raw: unknown = await browser.runtime.sendMessage(request);
  return parseReply(request.type as R['type'], raw);
}

export function parseReply<T extends RequestType>(type: T, raw: unknown): ReplyOf<T> {
  const refusal = ErrorReplySchema.safeParse(raw);
  if (refusal.success) throw new MessageError(refusal.data.error);
  const def: Messages[T] = messages[type];
  const parsed = def.reply.safeParse(raw);
  if (!parsed.success) throw new MessageError(`Unexpected reply to ${type}.`);
  return parsed.data as ReplyOf<T>;
}
