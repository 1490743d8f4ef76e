/**
 * Runs a connector's action: settings parsing, OAuth2 client-credentials (token cache, exactly one refresh on 401),
 * API-key headers, per-request timeouts, bounded retries with exponential backoff + jitter honouring Retry-After,
 * the idempotency guard (look up before repeating a create after an ambiguous failure) and cancellation.
 * `fetch`, the clock, sleep and randomness are injected so tests run against emulators with no real waits.
 */
import {
  ActionError,
  type ActionInput,
  type AnyConnector,
  type AuthSpec,
  type CallContext,
  type CallSpec,
  type HttpReply,
} from './connector';
import type { ActionKind, ActionResult, ConnectorInstance, PollHandle } from './types';
import { ACTION_LABELS } from './types';

export interface ExecutorDeps {
  fetch: typeof fetch;
  now: () => number;
  /** Resolves after `ms`, rejects with an AbortError when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Per-request timeout; defaults to 15 s. */
  timeoutMs?: number;
  /** Attempts per request, first included; defaults to 4. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this ends the action instead of waiting; defaults to 60 s. */
  maxRetryAfterMs?: number;
}

export interface Executor {
  run(
    connector: AnyConnector,
    instance: ConnectorInstance,
    kind: ActionKind,
    input: ActionInput,
    signal?: AbortSignal,
  ): Promise<ActionResult>;
  poll(
    connector: AnyConnector,
    instance: ConnectorInstance,
    kind: ActionKind,
    handle: PollHandle,
    signal?: AbortSignal,
  ): Promise<ActionResult>;
  testConnection(
    connector: AnyConnector,
    instance: ConnectorInstance,
    signal?: AbortSignal,
  ): Promise<ActionResult>;
  /** Forgets cached tokens (settings changed, instance removed). */
  forgetTokens(instanceId?: string): void;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const TOKEN_MARGIN_MS = 60_000;

export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Dependencies for production: global fetch, wall clock, real timers. */
export function defaultExecutorDeps(): ExecutorDeps {
  return {
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    sleep: sleepWithSignal,
    random: () => Math.random(),
  };
}

function abortError(): Error {
  const error = new Error('cancelled');
  error.name = 'AbortError';
  return error;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Parses `Retry-After` (delta-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function vendorDetail(reply: HttpReply): string {
  const json = reply.json as Record<string, unknown> | undefined;
  const candidates: unknown[] = [];
  if (json && typeof json === 'object') {
    const errors = json.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = errors[0] as Record<string, unknown> | string;
      candidates.push(typeof first === 'string' ? first : first?.message);
    }
    const error = json.error as Record<string, unknown> | string | undefined;
    candidates.push(typeof error === 'string' ? error : error?.message);
    candidates.push(json.message, json.error_description, json.detail);
  }
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  const text = found ?? reply.text.trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const maxAttempts = deps.maxAttempts ?? 4;
  const baseDelayMs = deps.baseDelayMs ?? 500;
  const maxDelayMs = deps.maxDelayMs ?? 8_000;
  const maxRetryAfterMs = deps.maxRetryAfterMs ?? 60_000;
  const tokens = new Map<string, CachedToken>();
  const inflightTokens = new Map<string, Promise<CachedToken>>();

  function backoff(attempt: number): number {
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    // "full jitter": spread retries of many clients over the whole window
    return Math.round(exp / 2 + (deps.random() * exp) / 2);
  }

  async function send(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    signal: AbortSignal | undefined,
  ): Promise<HttpReply> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const response = await deps.fetch(url, { ...init, signal: combined });
    const text = await response.text();
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  function tokenKey(instanceId: string, auth: Extract<AuthSpec, { kind: 'oauth2' }>): string {
    return `${instanceId}\u0000${auth.tokenUrl}\u0000${auth.clientId}`;
  }

  async function fetchToken(
    vendor: string,
    auth: Extract<AuthSpec, { kind: 'oauth2' }>,
    signal: AbortSignal | undefined,
  ): Promise<CachedToken> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
    });
    if (auth.scope) form.set('scope', auth.scope);
    for (let attempt = 1; ; attempt++) {
      let reply: HttpReply;
      try {
        reply = await send(
          auth.tokenUrl,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
          },
          signal,
        );
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        if (attempt >= maxAttempts) {
          throw new ActionError(
            `Could not reach ${vendor}'s token endpoint (${new URL(auth.tokenUrl).host}): ${describeNetworkError(error)} — check the authority URL and the network.`,
          );
        }
        await deps.sleep(backoff(attempt), signal).catch(rethrowCancel);
        continue;
      }
      if (reply.status === 429 || reply.status >= 500) {
        if (attempt >= maxAttempts) {
          throw new ActionError(
            `${vendor}'s token endpoint kept failing (HTTP ${reply.status}) after ${attempt} attempts — try again later.`,
            reply.status,
          );
        }
        const wait = parseRetryAfter(reply.headers.get('retry-after'), deps.now()) ?? backoff(attempt);
        await deps.sleep(Math.min(wait, maxRetryAfterMs), signal).catch(rethrowCancel);
        continue;
      }
      if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
        throw new ActionError(
          `${vendor} refused the client credentials (${reply.status}) — check the client ID and client secret${auth.scope ? ' and the tenant' : ''}.`,
          reply.status,
        );
      }
      const json = reply.json as { access_token?: unknown; expires_in?: unknown } | undefined;
      if (reply.status < 200 || reply.status >= 300 || !json || typeof json.access_token !== 'string') {
        throw new ActionError(
          `${vendor}'s token endpoint answered HTTP ${reply.status} without an access token — check the authority / base URL.`,
          reply.status,
        );
      }
      const expiresIn = Number(json.expires_in);
      const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 30 * 60_000;
      return { token: json.access_token, expiresAt: deps.now() + lifetime };
    }
  }

  async function tokenFor(
    instanceId: string,
    vendor: string,
    auth: Extract<AuthSpec, { kind: 'oauth2' }>,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const key = tokenKey(instanceId, auth);
    const cached = tokens.get(key);
    if (cached && cached.expiresAt - TOKEN_MARGIN_MS > deps.now()) return cached.token;
    let pending = inflightTokens.get(key);
    if (!pending) {
      pending = fetchToken(vendor, auth, signal).finally(() => inflightTokens.delete(key));
      inflightTokens.set(key, pending);
    }
    const fresh = await pending;
    tokens.set(key, fresh);
    return fresh.token;
  }

  function rethrowCancel(error: unknown): never {
    if (isAbort(error)) throw new CancelledError();
    throw error;
  }

  function makeContext<S>(
    connector: AnyConnector,
    instance: ConnectorInstance,
    settings: S,
    signal: AbortSignal | undefined,
  ): CallContext<S> {
    const vendor = connector.label;
    const auth = connector.auth(settings) as AuthSpec;
    const base = connector.baseUrl(settings);

    function buildUrl(path: string, query?: Record<string, string>): string {
      const url = /^https?:\/\//i.test(path)
        ? new URL(path)
        : new URL(path.replace(/^\//, ''), withSlash(base));
      for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
      return url.toString();
    }

    async function call<T>(spec: CallSpec<T>): Promise<T> {
      const idempotent =
        spec.idempotent ?? (spec.method === 'GET' || spec.method === 'PUT' || spec.method === 'DELETE');
      const url = buildUrl(spec.path, spec.query);
      const body = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
      let refreshed = false;
      let ambiguous = false;
      let lastProblem = '';
      for (let attempt = 1; ; ) {
        if (signal?.aborted) throw new CancelledError();
        const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
        if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
          headers['content-type'] = 'application/json';
        }
        if (auth.kind === 'oauth2') {
          headers.authorization = `Bearer ${await tokenFor(instance.id, vendor, auth, signal)}`;
        } else if (auth.kind === 'headers') {
          Object.assign(headers, auth.headers);
        }
        let reply: HttpReply | undefined;
        try {
          reply = await send(url, { method: spec.method, headers, body }, signal);
        } catch (error) {
          if (signal?.aborted) throw new CancelledError();
          lastProblem = describeNetworkError(error);
        }
        if (reply) {
          if (reply.status === 401 && auth.kind === 'oauth2' && !refreshed) {
            // the cached token may have expired or been revoked early: fetch one new token, once
            tokens.delete(tokenKey(instance.id, auth));
            refreshed = true;
            continue;
          }
          if (reply.status === 401 || reply.status === 403) {
            throw new ActionError(authMessage(vendor, auth, reply.status, spec.purpose), reply.status);
          }
          if ((reply.status >= 200 && reply.status < 300) || spec.accept?.includes(reply.status)) {
            return spec.read(reply);
          }
          if (reply.status !== 429 && reply.status < 500) {
            const detail = vendorDetail(reply);
            throw new ActionError(
              `${vendor} rejected the request to ${spec.purpose} (HTTP ${reply.status})${detail ? `: ${detail}` : ''}.`,
              reply.status,
            );
          }
          lastProblem = `HTTP ${reply.status}${reply.status === 429 ? ' (rate limited)' : ''}`;
        }
        // 429 means the vendor refused without acting; 5xx, timeouts and network errors leave us unsure
        const unsure = !reply || reply.status >= 500;
        if (unsure) ambiguous = true;
        if (unsure && !idempotent && spec.lookup) {
          const landed = await spec.lookup();
          if (landed !== undefined) return landed;
        }
        if (attempt >= maxAttempts) {
          const tail = idempotent
            ? ' Try again later or check the vendor status page.'
            : ambiguous && !spec.lookup
              ? ' It may or may not have taken effect — check the console before trying again.'
              : ' Riposte checked before each retry, so nothing was created twice; try again later or check the vendor status page.';
          throw new ActionError(
            `${vendor} kept failing (${lastProblem}) after ${attempt} attempts to ${spec.purpose}.${tail}`,
            reply?.status,
            true,
          );
        }
        if (unsure && !idempotent && !spec.lookup) {
          throw new ActionError(
            `${vendor} failed (${lastProblem}) while trying to ${spec.purpose}; Riposte did not retry because it cannot tell whether the first attempt took effect — check the console.`,
            reply?.status,
          );
        }
        const retryAfter = reply ? parseRetryAfter(reply.headers.get('retry-after'), deps.now()) : undefined;
        if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) {
          throw new ActionError(
            `${vendor} is rate limiting Riposte and asks to wait ${Math.ceil(retryAfter / 1000)} s before trying to ${spec.purpose} again — try later.`,
            reply?.status,
          );
        }
        await deps.sleep(retryAfter ?? backoff(attempt), signal).catch(rethrowCancel);
        attempt++;
      }
    }

    return {
      settings,
      instanceLabel: instance.label,
      vendorLabel: vendor,
      call,
      hmacSha256Hex,
      now: deps.now,
    };
  }

  function parseSettings(connector: AnyConnector, instance: ConnectorInstance): unknown {
    const parsed = connector.settingsSchema.safeParse(instance.settings);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'settings';
      throw new ActionError(
        `The settings of "${instance.label}" (${connector.label}) are incomplete: ${field} — ${issue?.message ?? 'invalid'}. Fix them in the options page.`,
      );
    }
    return parsed.data;
  }

  async function guarded(work: () => Promise<ActionResult>): Promise<ActionResult> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof CancelledError || isAbort(error)) {
        return { status: 'failed', message: 'Cancelled by the analyst before the vendor confirmed it.' };
      }
      if (error instanceof ActionError) {
        return error.retryable
          ? { status: 'failed', message: error.message, retryable: true }
          : { status: 'failed', message: error.message };
      }
      return {
        status: 'failed',
        message: `Unexpected error in Riposte: ${error instanceof Error ? error.message : String(error)}.`,
      };
    }
  }

  return {
    run(connector, instance, kind, input, signal) {
      return guarded(async () => {
        const spec = connector.actions[kind];
        if (!spec) throw new ActionError(`${connector.label} cannot ${ACTION_LABELS[kind].toLowerCase()}.`);
        if (!instance.enabledActions.includes(kind)) {
          throw new ActionError(
            `"${ACTION_LABELS[kind]}" is not enabled for "${instance.label}" in the options page.`,
          );
        }
        if (!spec.targets.includes(input.target.type)) {
          throw new ActionError(
            `${connector.label} cannot ${ACTION_LABELS[kind].toLowerCase()} for a ${input.target.type}.`,
          );
        }
        const settings = parseSettings(connector, instance);
        return spec.run(makeContext(connector, instance, settings, signal), input);
      });
    },
    poll(connector, instance, kind, handle, signal) {
      return guarded(async () => {
        const spec = connector.actions[kind];
        if (!spec?.poll) throw new ActionError(`${connector.label} has no status to poll for ${kind}.`);
        const settings = parseSettings(connector, instance);
        return spec.poll(makeContext(connector, instance, settings, signal), handle);
      });
    },
    testConnection(connector, instance, signal) {
      return guarded(async () => {
        if (!connector.testConnection) {
          return {
            status: 'done',
            message: `${connector.label} has no harmless read to test; settings are valid.`,
          };
        }
        const settings = parseSettings(connector, instance);
        const message = await connector.testConnection(makeContext(connector, instance, settings, signal));
        return { status: 'done', message };
      });
    },
    forgetTokens(instanceId) {
      for (const key of [...tokens.keys()]) {
        if (instanceId === undefined || key.startsWith(`${instanceId}\u0000`)) tokens.delete(key);
      }
    },
  };
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

function authMessage(vendor: string, auth: AuthSpec, status: number, purpose: string): string {
  if (auth.kind === 'oauth2') {
    return status === 401
      ? `${vendor} refused the token (401) even after a fresh one was fetched — check the client secret and that the API client is still active.`
      : `${vendor} refused to ${purpose} (403) — the API client lacks the permission (scope) for it.`;
  }
  if (auth.kind === 'headers') {
    return status === 401
      ? `${vendor} refused the API key (401) — check the key in the options page.`
      : `${vendor} refused to ${purpose} (403) — the API key lacks the permission for it.`;
  }
  return `${vendor} refused the request (${status}) — it needs credentials; check the authentication settings.`;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer before the timeout';
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ? `network error ${cause.code}` : `network error: ${error.message}`;
  }
  return 'network error';
}

export async function hmacSha256Hex(key: string, data: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data)));
  return Array.from(signature, (b) => b.toString(16).padStart(2, '0')).join('');
}
