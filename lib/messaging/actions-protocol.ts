import { z } from 'zod';
import { ACTION_KINDS } from '../actions/types';
import { INDICATOR_TYPES } from '../detect/types';
import { defineMessage } from './define';
import { IpScopeSchema, OkReplySchema, TabIdSchema } from './schemas';

/**
 * The response actions' messages (merged into `messages` in protocol.ts). Executing needs a request from an
 * extension page carrying the id of a prepared confirmation; a content script may only *propose* an action, which
 * makes the background open the side panel on the confirmation. Nothing here ever carries a secret back to a page:
 * the options page sends secrets once (`connectors.save` / `connectors.test`) and reads back "set / not set".
 */

export const ActionKindSchema = z.enum(ACTION_KINDS);
export const TargetTypeSchema = z.enum([...INDICATOR_TYPES, 'hostname', 'incident']);
export const ActionTargetSchema = z.object({
  type: TargetTypeSchema,
  value: z.string().trim().min(1).max(4096),
  scope: IpScopeSchema.optional(),
});

const CountermeasureSchema = z.object({ id: z.string(), name: z.string() });

export const AvailableActionSchema = z.object({
  instanceId: z.string(),
  instanceLabel: z.string(),
  vendor: z.string(),
  vendorLabel: z.string(),
  action: ActionKindSchema,
  label: z.string(),
  countermeasures: z.array(CountermeasureSchema),
  highImpact: z.boolean(),
  undo: ActionKindSchema.optional(),
  /** Target types this action accepts (for picking a page's indicators that fit it). */
  targets: z.array(TargetTypeSchema).optional(),
});
export type AvailableActionReply = z.infer<typeof AvailableActionSchema>;

export const PreparedSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  instanceLabel: z.string(),
  vendor: z.string(),
  vendorLabel: z.string(),
  action: ActionKindSchema,
  actionLabel: z.string(),
  countermeasures: z.array(CountermeasureSchema),
  items: z.array(z.object({ target: ActionTargetSchema, lines: z.array(z.string()) })),
  refused: z.array(z.object({ target: ActionTargetSchema, reason: z.string() })),
  secondConfirmation: z
    .object({ kind: z.enum(['host', 'count']), expected: z.string(), prompt: z.string() })
    .optional(),
  expiresAt: z.number(),
});
export type PreparedReply = z.infer<typeof PreparedSchema>;

export const OperationSchema = z.object({
  operationId: z.string(),
  preparedId: z.string(),
  instanceId: z.string(),
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
export type OperationReply = z.infer<typeof OperationSchema>;

export const AuditResultSchema = z.enum(['requested', 'pending', 'done', 'failed', 'refused', 'cancelled']);
export const AuditFilterSchema = z.object({
  from: z.number().optional(),
  to: z.number().optional(),
  instanceId: z.string().max(64).optional(),
  action: ActionKindSchema.optional(),
  result: AuditResultSchema.optional(),
  text: z.string().max(512).optional(),
  limit: z.number().int().positive().max(10_000).optional(),
});
export type AuditFilterRequest = z.infer<typeof AuditFilterSchema>;

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
  result: AuditResultSchema,
  reference: z.string().optional(),
  message: z.string().optional(),
});
export type AuditEntryReply = z.infer<typeof AuditEntrySchema>;

/** A connector instance as the options page sees it: settings without secrets, and which secrets are set. */
export const InstanceViewSchema = z.object({
  id: z.string(),
  vendor: z.string(),
  label: z.string(),
  settings: z.record(z.string(), z.unknown()),
  actions: z.array(z.string()),
  sessionOnlySecrets: z.boolean(),
  secretsSet: z.record(z.string(), z.boolean()),
  /** Provided by the administrator's policy: shown locked. */
  policy: z.boolean(),
});
export type InstanceView = z.infer<typeof InstanceViewSchema>;

export const CatalogEntrySchema = z.object({
  id: z.string(),
  label: z.string(),
  docs: z.array(z.string()),
  actions: z.array(
    z.object({
      action: ActionKindSchema,
      label: z.string(),
      countermeasures: z.array(CountermeasureSchema),
      targets: z.array(TargetTypeSchema),
    }),
  ),
  secretFields: z.array(z.string()),
  settingsJsonSchema: z.unknown(),
});
export type CatalogEntryReply = z.infer<typeof CatalogEntrySchema>;

/** What the options page submits; `secrets` holds only the secret fields the analyst typed (blank = keep). */
export const InstanceFormSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  vendor: z.string().min(1).max(64),
  label: z.string().trim().min(1, 'give the connector a name').max(120),
  settings: z.record(z.string(), z.unknown()),
  actions: z.array(ActionKindSchema),
  sessionOnlySecrets: z.boolean(),
  secrets: z.record(z.string(), z.string().max(8192)),
});
export type InstanceForm = z.infer<typeof InstanceFormSchema>;

/** Pushed by the background to extension pages (runtime broadcast); parsed by the receiver. */
export const ActionsEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('actions.event.status'), operation: OperationSchema }),
  z.object({ type: z.literal('actions.event.proposal'), tabId: TabIdSchema.optional() }),
]);
export type ActionsEvent = z.infer<typeof ActionsEventSchema>;

const PreparedOrErrorReply = z.object({ prepared: PreparedSchema });

export const actionMessages = {
  /** What the configured connectors can do to one target (guardrails are checked at prepare time). */
  'actions.available': defineMessage({
    request: z.object({ type: z.literal('actions.available'), target: ActionTargetSchema }),
    reply: z.object({ actions: z.array(AvailableActionSchema) }),
    from: ['extension-page', 'content-script'],
  }),
  /** Hover-card buttons: every enabled (instance, action) with the target types it takes. No secrets. */
  'actions.menu': defineMessage({
    request: z.object({ type: z.literal('actions.menu') }),
    reply: z.object({ actions: z.array(AvailableActionSchema) }),
    from: ['extension-page', 'content-script'],
  }),
  /** A technique card's "Apply": the configured actions that carry out these D3FEND countermeasures. */
  'actions.forCountermeasures': defineMessage({
    request: z.object({
      type: z.literal('actions.forCountermeasures'),
      ids: z.array(z.string().min(1).max(32)).min(1).max(200),
    }),
    reply: z.object({ actions: z.array(AvailableActionSchema) }),
    from: ['extension-page'],
  }),
  /**
   * From the hover card: show a confirmation for this action in the side panel. Never executes; the background
   * prepares it (guardrails run now) and opens the panel on the sender's tab.
   */
  'actions.propose': defineMessage({
    request: z.object({
      type: z.literal('actions.propose'),
      instanceId: z.string().min(1).max(64),
      action: ActionKindSchema,
      target: ActionTargetSchema,
    }),
    reply: OkReplySchema,
    from: ['content-script'],
  }),
  /** The side panel asks for the confirmation proposed from a tab (and takes it). */
  'actions.proposal': defineMessage({
    request: z.object({ type: z.literal('actions.proposal'), tabId: TabIdSchema.optional() }),
    reply: z.object({ prepared: PreparedSchema.nullable() }),
    from: ['extension-page'],
  }),
  'actions.prepare': defineMessage({
    request: z.object({
      type: z.literal('actions.prepare'),
      instanceId: z.string().min(1).max(64),
      action: ActionKindSchema,
      targets: z.array(ActionTargetSchema).min(1).max(500),
      note: z.string().max(2000).optional(),
      pageUrl: z.string().max(8192).optional(),
      playbook: z.string().max(512).optional(),
    }),
    reply: PreparedOrErrorReply,
    from: ['extension-page'],
  }),
  /** Executes a prepared confirmation, once. `typed`: the host name or count of the second confirmation. */
  'actions.confirm': defineMessage({
    request: z.object({
      type: z.literal('actions.confirm'),
      preparedId: z.string().min(1).max(128),
      typed: z.string().max(512).optional(),
    }),
    reply: z.object({ operations: z.array(OperationSchema) }),
    from: ['extension-page'],
  }),
  'actions.dismiss': defineMessage({
    request: z.object({ type: z.literal('actions.dismiss'), preparedId: z.string().min(1).max(128) }),
    reply: OkReplySchema,
    from: ['extension-page'],
  }),
  /** Live status: the given operations (or every recent one and every pending one). */
  'actions.status': defineMessage({
    request: z.object({
      type: z.literal('actions.status'),
      operationIds: z.array(z.string().min(1).max(160)).max(500).optional(),
    }),
    reply: z.object({ operations: z.array(OperationSchema) }),
    from: ['extension-page'],
  }),
  'actions.cancel': defineMessage({
    request: z.object({ type: z.literal('actions.cancel'), operationId: z.string().min(1).max(160) }),
    reply: z.object({ operation: OperationSchema.nullable() }),
    from: ['extension-page'],
  }),
  /** Undo a completed action: returns a new confirmation for the undo action. */
  'actions.undo': defineMessage({
    request: z.object({ type: z.literal('actions.undo'), operationId: z.string().min(1).max(160) }),
    reply: PreparedOrErrorReply,
    from: ['extension-page'],
  }),
  'actions.audit': defineMessage({
    request: z.object({ type: z.literal('actions.audit'), filter: AuditFilterSchema.default({}) }),
    reply: z.object({ entries: z.array(AuditEntrySchema) }),
    from: ['extension-page'],
  }),
  'actions.auditExport': defineMessage({
    request: z.object({
      type: z.literal('actions.auditExport'),
      format: z.enum(['csv', 'json']),
      filter: AuditFilterSchema.default({}),
    }),
    reply: z.object({ text: z.string(), filename: z.string(), mime: z.string() }),
    from: ['extension-page'],
  }),
  /** The options page: the catalog of vendors and the configured instances, without secrets. */
  'connectors.list': defineMessage({
    request: z.object({ type: z.literal('connectors.list') }),
    reply: z.object({
      catalog: z.array(CatalogEntrySchema),
      instances: z.array(InstanceViewSchema),
      allowedActions: z.array(z.string()).optional(),
    }),
    from: ['extension-page'],
  }),
  'connectors.save': defineMessage({
    request: z.object({ type: z.literal('connectors.save'), instance: InstanceFormSchema }),
    reply: z.object({ instance: InstanceViewSchema }),
    from: ['extension-page'],
  }),
  /** "Test connection" with the form as it is (blank secrets fall back to the stored ones of `id`). */
  'connectors.test': defineMessage({
    request: z.object({ type: z.literal('connectors.test'), instance: InstanceFormSchema }),
    reply: z.object({ ok: z.boolean(), message: z.string() }),
    from: ['extension-page'],
  }),
  'connectors.remove': defineMessage({
    request: z.object({ type: z.literal('connectors.remove'), id: z.string().min(1).max(64) }),
    reply: OkReplySchema,
    from: ['extension-page'],
  }),
};
