import { z } from 'zod';
import { knowledgeMessages } from '../knowledge/protocol';
import { actionMessages } from './actions-protocol';
import { defineMessage, type MessageDef } from './define';
import { CountedIndicatorSchema, IndicatorRefSchema, OkReplySchema, TabIdSchema } from './schemas';

/**
 * The protocol between Riposte's contexts. Every request is a member of `RequestSchema` (a zod discriminated union
 * on `type`), parsed by the receiver; `from` says which sender classes may send it (see `sender.ts`).
 * Domains add their messages here, one entry per type.
 */

/** Whether the content script should scan this frame, and why not. */
export const PageConfigSchema = z.object({
  enabled: z.boolean(),
  /** Why scanning is off ("Paused on example.com", "Paused everywhere", "Blocked by the deny list"). */
  reason: z.string().optional(),
  /** Families to highlight (settings.highlight); absent means all. The others are still detected and reported. */
  families: z.array(z.enum(['network', 'hash', 'attack', 'd3fend', 'vulnerability'])).optional(),
});
export type PageConfig = z.infer<typeof PageConfigSchema>;

/** One id as the knowledge base knows it (`kb.lookup`); `unknown` when the id does not exist in it. */
export const KnowledgeEntrySchema = z.object({
  status: z.enum(['current', 'deprecated', 'revoked', 'unknown']),
  name: z.string().max(512).optional(),
  replacedBy: z.object({ id: z.string().max(32), name: z.string().max(512).optional() }).optional(),
});
export type KnowledgeEntryReply = z.infer<typeof KnowledgeEntrySchema>;

export const messages = {
  /** DESIGN.md contract: everything detected in a tab's visible text, all frames together. */
  'tab.indicators': defineMessage({
    request: z.object({ type: z.literal('tab.indicators'), tabId: TabIdSchema }),
    reply: z.object({ indicators: z.array(CountedIndicatorSchema) }),
    from: ['extension-page'],
  }),
  /** Scroll the tab to an indicator and flash it (side panel click). */
  'tab.reveal': defineMessage({
    request: z.object({ type: z.literal('tab.reveal'), tabId: TabIdSchema, indicator: IndicatorRefSchema }),
    reply: z.object({ found: z.boolean() }),
    from: ['extension-page'],
  }),
  /** A content script asks whether to scan its frame. */
  'page.config': defineMessage({
    request: z.object({ type: z.literal('page.config'), url: z.string().max(8192) }),
    reply: PageConfigSchema,
    from: ['content-script'],
  }),
  /**
   * A content script reports the complete current set of its frame's detections (it replaces the frame's previous
   * report). Bounded so that a hostile page cannot make the background hold unbounded state.
   */
  'page.report': defineMessage({
    request: z.object({
      type: z.literal('page.report'),
      url: z.string().max(8192),
      indicators: z.array(CountedIndicatorSchema).max(20_000),
    }),
    reply: OkReplySchema,
    from: ['content-script'],
  }),
  /**
   * What the knowledge base says about ATT&CK / D3FEND ids (hover card names; unknown ids are not highlighted).
   * `ready: false` when no knowledge base is imported yet: then every detected id is shown.
   */
  'kb.lookup': defineMessage({
    request: z.object({
      type: z.literal('kb.lookup'),
      ids: z.array(z.string().min(1).max(32)).min(1).max(200),
    }),
    reply: z.object({ ready: z.boolean(), entries: z.record(z.string(), KnowledgeEntrySchema) }),
    from: ['content-script', 'extension-page'],
  }),
  /** Open the side panel on the sender's tab (from a click in the hover card), optionally focused on one indicator. */
  'panel.open': defineMessage({
    request: z.object({ type: z.literal('panel.open'), focus: IndicatorRefSchema.optional() }),
    reply: OkReplySchema,
    from: ['content-script', 'extension-page'],
  }),
  ...actionMessages,
  ...knowledgeMessages,
} satisfies Record<string, MessageDef>;

export type Messages = typeof messages;
export type RequestType = keyof Messages;
export type RequestOf<T extends RequestType> = z.infer<Messages[T]['request']>;
export type ReplyOf<T extends RequestType> = z.infer<Messages[T]['reply']>;
export type Request = { [T in RequestType]: RequestOf<T> }[RequestType];

const requestSchemas = Object.values(messages).map((m) => m.request) as unknown as [
  Messages[RequestType]['request'],
  ...Messages[RequestType]['request'][],
];
export const RequestSchema = z.discriminatedUnion('type', requestSchemas);

/** Messages the background (or an extension page) sends to content scripts; parsed by the content script. */
export const ContentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('content.config'), config: PageConfigSchema }),
  z.object({ type: z.literal('content.reveal'), indicator: IndicatorRefSchema }),
]);
export type ContentMessage = z.infer<typeof ContentMessageSchema>;
