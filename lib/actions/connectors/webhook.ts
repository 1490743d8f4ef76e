/**
 * Generic webhook: POSTs a JSON document built from a template to a URL (Tines, n8n, Shuffle, Mindflow, a SOAR's
 * webhook trigger). Authentication is a static header, or an HMAC-SHA256 signature over `<timestamp>.<body>`
 * (WebCrypto) sent as `X-Riposte-Signature: sha256=<hex>` with `X-Riposte-Timestamp`, the same scheme as
 * Stripe / Slack signing secrets so receivers can reject replays.
 * Every request carries `Idempotency-Key: <operation id>` (IETF draft-ietf-httpapi-idempotency-key-header);
 * only when the analyst says the receiver honours it are ambiguous failures (5xx, timeouts) retried.
 *
 * The template is JSON; placeholders `{{indicator.type}}`, `{{indicator.value}}`, `{{action}}`, `{{action.label}}`,
 * `{{note}}`, `{{pageUrl}}`, `{{operationId}}`, `{{time}}`, `{{playbook}}` are replaced inside string values, so a
 * value can never break out of its JSON string.
 */
import { z } from 'zod';
import { type ActionInput, type CallContext, defineConnector, type HttpReply } from '../connector';
import {
  ACTION_KINDS,
  ACTION_LABELS,
  type ActionKind,
  type ActionResult,
  OBSERVABLE_TYPES,
  type TargetType,
} from '../types';

export const DEFAULT_WEBHOOK_TEMPLATE = JSON.stringify(
  {
    source: 'riposte',
    action: '{{action}}',
    indicator: { type: '{{indicator.type}}', value: '{{indicator.value}}' },
    note: '{{note}}',
    page_url: '{{pageUrl}}',
    operation_id: '{{operationId}}',
    requested_at: '{{time}}',
  },
  null,
  2,
);

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('header'),
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]+$/, 'must be a header name'),
    value: z.string().min(1, 'the header value is required'),
  }),
  z.object({
    kind: z.literal('hmac'),
    secret: z.string().min(16, 'the signing secret must be at least 16 characters'),
    header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .default('X-Riposte-Signature'),
  }),
]);

const settingsSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  template: z
    .string()
    .default(DEFAULT_WEBHOOK_TEMPLATE)
    .refine((t) => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    }, 'the template must be valid JSON'),
  auth: authSchema.default({ kind: 'none' }),
  /** The receiver deduplicates on `Idempotency-Key`, so a request can be repeated after a 5xx or a timeout. */
  receiverDeduplicates: z.boolean().default(false),
});
export type WebhookSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'Webhook';

function render(template: string, values: Record<string, string>): unknown {
  const fill = (text: string) =>
    text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [fill(k), walk(v)]));
    }
    return node;
  };
  return walk(JSON.parse(template));
}

const replySchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    reference: z.string().optional(),
    case_id: z.union([z.string(), z.number()]).optional(),
  })
  .loose();

function referenceOf(reply: HttpReply): string | undefined {
  const parsed = replySchema.safeParse(reply.json);
  if (!parsed.success) return undefined;
  const ref = parsed.data.reference ?? parsed.data.case_id ?? parsed.data.id;
  return ref === undefined ? undefined : String(ref);
}

function bodyFor(settings: WebhookSettings, kind: ActionKind, input: ActionInput, time: number): string {
  return JSON.stringify(
    render(settings.template, {
      action: kind,
      'action.label': ACTION_LABELS[kind],
      'indicator.type': input.target.type,
      'indicator.value': input.target.value,
      note: input.note,
      pageUrl: input.pageUrl ?? '',
      operationId: input.operationId,
      time: new Date(time).toISOString(),
      playbook: input.playbook ?? '',
    }),
  );
}

async function post(
  ctx: CallContext<WebhookSettings>,
  kind: ActionKind,
  input: ActionInput,
): Promise<ActionResult> {
  const s = ctx.settings;
  const body = bodyFor(s, kind, input, ctx.now());
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': input.operationId,
  };
  if (s.auth.kind === 'hmac') {
    const timestamp = String(Math.floor(ctx.now() / 1000));
    headers[s.auth.header.toLowerCase()] =
      `sha256=${await ctx.hmacSha256Hex(s.auth.secret, `${timestamp}.${body}`)}`;
    headers['x-riposte-timestamp'] = timestamp;
  }
  const reference = await ctx.call({
    method: 'POST',
    path: s.url,
    rawBody: body,
    headers,
    idempotent: s.receiverDeduplicates,
    purpose: `send "${ACTION_LABELS[kind]}" for ${input.target.value}`,
    read: referenceOf,
  });
  return {
    status: 'done',
    reference,
    message: `The webhook "${ctx.instanceLabel}" accepted "${ACTION_LABELS[kind]}" for ${input.target.value}${reference ? ` (reference ${reference})` : ''}.`,
  };
}

const ANY_TARGET: readonly TargetType[] = [
  ...OBSERVABLE_TYPES.filter((t) => t !== 'cve' && t !== 'btc' && t !== 'asn'),
  'hostname',
];
const TARGETS: Record<ActionKind, readonly TargetType[]> = {
  block_ip: ['ipv4', 'ipv6', 'cidr'],
  unblock_ip: ['ipv4', 'ipv6', 'cidr'],
  block_domain: ['domain'],
  unblock_domain: ['domain'],
  block_url: ['url'],
  unblock_url: ['url'],
  block_hash: ['md5', 'sha1', 'sha256', 'sha512'],
  unblock_hash: ['md5', 'sha1', 'sha256', 'sha512'],
  isolate_host: ['hostname'],
  release_host: ['hostname'],
  create_case: ANY_TARGET,
  run_playbook: ANY_TARGET,
};

function summaryFor(kind: ActionKind) {
  return (s: WebhookSettings, input: ActionInput): string[] => {
    const host = new URL(s.url).host;
    const signed =
      s.auth.kind === 'hmac'
        ? ', signed with HMAC-SHA256'
        : s.auth.kind === 'header'
          ? `, with the ${s.auth.name} header`
          : '';
    return [
      `POST a JSON document ("${kind}", ${input.target.type} ${input.target.value}, your note and the page URL) to ${host}${signed}.`,
    ];
  };
}

export const webhook = defineConnector<WebhookSettings>({
  id: 'webhook',
  label: VENDOR,
  docs: [
    'https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/',
    'https://docs.stripe.com/webhooks#verify-manually',
  ],
  settingsSchema,
  secretFields: ['auth.value', 'auth.secret'],
  baseUrl: (s) => s.url,
  auth: (s) =>
    s.auth.kind === 'header'
      ? { kind: 'headers', headers: { [s.auth.name]: s.auth.value } }
      : { kind: 'none' },
  actions: Object.fromEntries(
    ACTION_KINDS.map((kind) => [
      kind,
      {
        targets: TARGETS[kind],
        describe: summaryFor(kind),
        run: (ctx: CallContext<WebhookSettings>, input: ActionInput) => post(ctx, kind, input),
      },
    ]),
  ),
});
