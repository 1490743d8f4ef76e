/**
 * zod schemas for the response framework's messages, for lib/messaging/protocol.ts to wire with `defineMessage`
 * (the lead owns the protocol; these keep the shapes next to the service that produces them, and a test checks
 * that what the service returns parses). Bounded so a hostile sender cannot make the background hold much.
 * Nothing here carries a secret: instances travel as ids and labels, settings never.
 */
import { z } from 'zod';
import { INDICATOR_TYPES, IP_SCOPES } from '../detect/types';
import { ACTION_KINDS } from './types';

export const ActionKindSchema = z.enum(ACTION_KINDS);
export const TargetTypeSchema = z.enum([...INDICATOR_TYPES, 'hostname', 'incident']);
export const ActionTargetSchema = z.object({
  type: TargetTypeSchema,
  value: z.string().trim().min(1).max(4096),
  scope: z.enum(IP_SCOPES).optional(),
});

const Id = z.string().min(1).max(128);
const Countermeasure = z.object({ id: z.string().max(32), name: z.string().max(200) });

export const AvailableActionSchema = z.object({
  instanceId: Id,
  instanceLabel: z.string().max(200),
  vendor: z.string().max(64),
  vendorLabel: z.string().max(200),
  action: ActionKindSchema,
  label: z.string().max(200),
  countermeasures: z.array(Countermeasure),
  highImpact: z.boolean(),
  undo: ActionKindSchema.optional(),
});

export const PrepareRequestSchema = z.object({
  instanceId: Id,
  action: ActionKindSchema,
  targets: z.array(ActionTargetSchema).min(1).max(500),
  note: z.string().max(2000).optional(),
  pageUrl: z.string().max(8192).optional(),
  playbook: z.string().max(256).optional(),
});

export const PreparedSchema = z.object({
  id: Id,
  instanceId: Id,
  instanceLabel: z.string(),
  vendor: z.string(),
  vendorLabel: z.string(),
  action: ActionKindSchema,
  actionLabel: z.string(),
  countermeasures: z.array(Countermeasure),
  items: z.array(z.object({ target: ActionTargetSchema, lines: z.array(z.string()) })),
  refused: z.array(z.object({ target: ActionTargetSchema, reason: z.string() })),
  secondConfirmation: z
    .object({ kind: z.enum(['host', 'count']), expected: z.string(), prompt: z.string() })
    .optional(),
  expiresAt: z.number(),
});

export const OperationStatusSchema = z.object({
  operationId: Id,
  preparedId: Id,
  instanceId: Id,
  instanceLabel: z.string(),
  vendor: z.string(),
  action: ActionKindSchema,
  target: ActionTargetSchema,
  state: z.enum(['running', 'pending', 'done', 'failed', 'cancelled']),
  reference: z.string().optional(),
  message: z.string(),
  undo: ActionKindSchema.optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
});

export const PrepareReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), prepared: PreparedSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export const ConfirmReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), operations: z.array(OperationStatusSchema) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export const AuditFilterSchema = z.object({
  from: z.number().optional(),
  to: z.number().optional(),
  instanceId: Id.optional(),
  action: ActionKindSchema.optional(),
  result: z.enum(['requested', 'pending', 'done', 'failed', 'refused', 'cancelled']).optional(),
  text: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

export const AuditEntrySchema = z.object({
  id: z.number().optional(),
  time: z.number(),
  operationId: z.string(),
  phase: z.enum(['attempt', 'progress', 'outcome']),
  instanceId: z.string(),
  instanceLabel: z.string(),
  vendor: z.string(),
  action: ActionKindSchema,
  targetType: z.string(),
  target: z.string(),
  pageUrl: z.string().optional(),
  note: z.string().optional(),
  result: z.enum(['requested', 'pending', 'done', 'failed', 'refused', 'cancelled']),
  reference: z.string().optional(),
  message: z.string().optional(),
});

/**
 * Request bodies (without `type`) and replies, by message type, with who may send each:
 * - `actions.available`  {target}                 -> {actions}      content-script, extension-page
 * - `actions.ask`        {instanceId, action, target, pageUrl?} -> {ok} content-script only: opens the side panel
 *                         on the sender's tab with that confirmation prepared; it never executes
 * - `actions.forCountermeasures` {ids, targets?}  -> {actions (with targets)}   extension-page
 * - `actions.prepare`    PrepareRequest          -> PrepareReply   extension-page
 * - `actions.confirm`    {preparedId, typed?}    -> ConfirmReply   extension-page ONLY (the side panel)
 * - `actions.dismiss`    {preparedId}            -> {ok}           extension-page
 * - `actions.status`     {operationId}           -> {status?}      extension-page
 * - `actions.recent`     {}                      -> {operations}   extension-page
 * - `actions.cancel`     {operationId}           -> {status?}      extension-page
 * - `actions.undo`       {operationId}           -> PrepareReply   extension-page
 * - `actions.test`       {instanceId} or {draft: StoredInstance + secrets} -> {status, message}  extension-page
 *                         (options page; secrets in a draft go to the background once and never come back)
 * - `audit.list`         AuditFilter             -> {entries}      extension-page
 * - `audit.export`       {format: csv|json, filter} -> {filename, mime, content}  extension-page
 * Background -> extension pages (broadcast): `actions.update` {status: OperationStatus}.
 */
export const ActionMessageBodies = {
  'actions.available': {
    request: z.object({ target: ActionTargetSchema.pick({ type: true, value: true }) }),
    reply: z.object({ actions: z.array(AvailableActionSchema) }),
  },
  'actions.ask': {
    request: z.object({
      instanceId: Id,
      action: ActionKindSchema,
      target: ActionTargetSchema,
      pageUrl: z.string().max(8192).optional(),
    }),
    reply: z.object({ ok: z.literal(true) }),
  },
  'actions.forCountermeasures': {
    request: z.object({
      ids: z.array(z.string().max(32)).min(1).max(50),
      targets: z.array(ActionTargetSchema).max(2000).optional(),
    }),
    reply: z.object({
      actions: z.array(AvailableActionSchema.extend({ targets: z.array(ActionTargetSchema) })),
    }),
  },
  'actions.prepare': { request: PrepareRequestSchema, reply: PrepareReplySchema },
  'actions.confirm': {
    request: z.object({ preparedId: Id, typed: z.string().max(512).optional() }),
    reply: ConfirmReplySchema,
  },
  'actions.dismiss': { request: z.object({ preparedId: Id }), reply: z.object({ ok: z.literal(true) }) },
  'actions.status': {
    request: z.object({ operationId: Id }),
    reply: z.object({ status: OperationStatusSchema.optional() }),
  },
  'actions.recent': {
    request: z.object({}),
    reply: z.object({ operations: z.array(OperationStatusSchema) }),
  },
  'actions.cancel': {
    request: z.object({ operationId: Id }),
    reply: z.object({ status: OperationStatusSchema.optional() }),
  },
  'actions.undo': { request: z.object({ operationId: Id }), reply: PrepareReplySchema },
  'audit.list': {
    request: z.object({ filter: AuditFilterSchema.default({}) }),
    reply: z.object({ entries: z.array(AuditEntrySchema) }),
  },
  'audit.export': {
    request: z.object({ format: z.enum(['csv', 'json']), filter: AuditFilterSchema.default({}) }),
    reply: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
  },
} as const;
