import { z } from 'zod';
import { defineMessage } from '../messaging/define';
import type { KnowledgeStatus } from './queries';

/**
 * The knowledge base's messages (merged into `messages` in lib/messaging/protocol.ts; `kb.lookup` is defined there).
 * Only extension pages (side panel, options) may ask for a status, start or cancel an update.
 */

const KnowledgeStatusReplySchema = z.custom<KnowledgeStatus>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ((value as { state?: unknown }).state === 'empty' || (value as { state?: unknown }).state === 'ready'),
  'not a knowledge status',
);

export const knowledgeMessages = {
  /** Versions, counts, import progress and the last error (the side panel and options page show it). */
  'kb.status': defineMessage({
    request: z.object({ type: z.literal('kb.status') }),
    reply: KnowledgeStatusReplySchema,
    from: ['extension-page'],
  }),
  /**
   * Download the configured sources and import them ("Update now": `force` defaults to true). Replies at once with
   * `{ started }` (progress is in `kb.status`), or, with `wait: true`, when the import is over with its outcome.
   */
  'kb.update': defineMessage({
    request: z.object({
      type: z.literal('kb.update'),
      force: z.boolean().optional(),
      wait: z.boolean().optional(),
    }),
    reply: z.union([
      z.object({
        started: z.literal(true),
        outcome: z
          .union([
            z.object({ ok: z.literal(true), updated: z.boolean() }),
            z.object({ ok: z.literal(false), error: z.string() }),
          ])
          .optional(),
      }),
      z.object({ started: z.literal(false), error: z.string() }),
    ]),
    from: ['extension-page'],
  }),
  /** Stop the running update; the knowledge in use stays. */
  'kb.cancel': defineMessage({
    request: z.object({ type: z.literal('kb.cancel') }),
    reply: z.object({ cancelled: z.boolean() }),
    from: ['extension-page'],
  }),
};
