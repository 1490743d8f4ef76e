/**
 * The shape every connector file exports (`defineConnector({...})`), and the context its actions run in.
 * A connector says *what* to send and how to read the reply; the executor owns auth, timeouts, retries,
 * idempotency and cancellation, so no connector re-implements them.
 */
import type { z } from 'zod';
import type { ActionKind, ActionResult, ActionTarget, PollHandle, TargetType } from './types';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How the executor authenticates every request of an instance. */
export type AuthSpec =
  | {
      kind: 'oauth2';
      /** Absolute token endpoint (client-credentials grant, form-encoded). */
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
    }
  | { kind: 'headers'; headers: Record<string, string> }
  | { kind: 'none' };

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or `undefined` when the body is empty or not JSON. */
  json: unknown;
}

export interface CallSpec<T> {
  method: HttpMethod;
  /** Joined to the instance's base URL; an absolute URL is used as is. */
  path: string;
  query?: Record<string, string>;
  /** Serialised as JSON unless `rawBody` is given. */
  body?: unknown;
  /** Exact bytes to send (used when a signature covers the body). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** What the request does, for messages: "create the custom IOC". */
  purpose: string;
  /**
   * Whether repeating the request is harmless. Defaults to true for GET / PUT / DELETE, false for POST / PATCH.
   * A non-idempotent request is retried after an ambiguous failure (5xx, timeout, network error) only once
   * `lookup` says the first attempt did not land.
   */
  idempotent?: boolean;
  /** Finds what an earlier attempt of this request created; `undefined` when nothing landed. */
  lookup?: () => Promise<T | undefined>;
  /** Statuses besides 2xx that `read` handles itself (e.g. 404 on a delete, 409 on a duplicate). */
  accept?: number[];
  /** Turns the reply into the caller's value; throws `ActionError` on anything unexpected. */
  read: (reply: HttpReply) => T;
}

/** What a connector's action sees: its parsed settings and one primitive to call the vendor. */
export interface CallContext<S> {
  settings: S;
  instanceLabel: string;
  vendorLabel: string;
  call<T>(spec: CallSpec<T>): Promise<T>;
  /** HMAC-SHA256 of `data` with `key`, lowercase hex (WebCrypto). */
  hmacSha256Hex(key: string, data: string): Promise<string>;
  now(): number;
}

export interface ActionInput {
  target: ActionTarget;
  /** The analyst's note; goes into the vendor object's description. */
  note: string;
  pageUrl?: string;
  /** Stable id of this operation: the same across retries, usable as a vendor idempotency key. */
  operationId: string;
  /** For `run_playbook` / `create_case`: a playbook chosen by the analyst, when the connector offers several. */
  playbook?: string;
}

export interface ActionSpec<S> {
  /** The target types this action accepts. */
  targets: readonly TargetType[];
  /** One plain-language line per request that will be sent, for the confirmation (never a secret). */
  describe(settings: S, input: ActionInput): string[];
  run(ctx: CallContext<S>, input: ActionInput): Promise<ActionResult>;
  /** For actions that can return `pending`: one status check. */
  poll?(ctx: CallContext<S>, handle: PollHandle): Promise<ActionResult>;
}

export interface ConnectorDefinition<S> {
  /** Vendor id, unique in the registry; also the emulator's name in tests. */
  id: string;
  label: string;
  /** The vendor documentation the requests follow. */
  docs: readonly string[];
  settingsSchema: z.ZodType<S>;
  /** Settings fields that hold secrets: masked in the UI, scrubbed from messages. */
  secretFields: readonly string[];
  baseUrl(settings: S): string;
  auth(settings: S): AuthSpec;
  actions: { readonly [K in ActionKind]?: ActionSpec<S> };
  /** A harmless read proving the settings work ("Test connection"); returns a sentence for the analyst. */
  testConnection?(ctx: CallContext<S>): Promise<string>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry erases each connector's settings type; every entry point re-parses settings with the connector's own schema.
export type AnyConnector = ConnectorDefinition<any>;

export function defineConnector<S>(definition: ConnectorDefinition<S>): ConnectorDefinition<S> {
  return definition;
}

/** A failure with a message a person can act on. Thrown inside connectors, turned into a `failed` result. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** True when the failure was transient (network, 429, 5xx): a status poll may simply try again later. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** Parses a vendor reply with a zod schema; an unexpected shape becomes an `ActionError` naming the vendor. */
export function readJson<T>(schema: z.ZodType<T>, reply: HttpReply, vendor: string, purpose: string): T {
  if (reply.json === undefined) {
    throw new ActionError(
      `${vendor} answered "${purpose}" with a body that is not JSON (HTTP ${reply.status}); the request may or may not have taken effect — check the console before retrying.`,
      reply.status,
    );
  }
  const parsed = schema.safeParse(reply.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'reply'}: ${issue.message}` : 'unexpected shape';
    throw new ActionError(
      `${vendor} answered "${purpose}" with a reply Riposte does not understand (${where}).`,
      reply.status,
    );
  }
  return parsed.data;
}

/** Hosts an instance talks to: the guardrails never block them. */
export function connectorHosts(connector: AnyConnector, settings: unknown): string[] {
  const hosts = new Set<string>();
  const add = (url: string) => {
    try {
      hosts.add(new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
    } catch {
      // a malformed URL is reported by the settings schema, not here
    }
  };
  add(connector.baseUrl(settings));
  const auth = connector.auth(settings);
  if (auth.kind === 'oauth2') add(auth.tokenUrl);
  return [...hosts];
}

/** The secret values of an instance's raw settings (dotted `secretFields` paths), for masking and scrubbing. */
export function secretValues(connector: AnyConnector, settings: unknown): string[] {
  const out: string[] = [];
  for (const path of connector.secretFields) {
    let node: unknown = settings;
    for (const key of path.split('.')) {
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
    if (typeof node === 'string' && node !== '') out.push(node);
  }
  return out;
}
