/**
 * The shared machinery of the vendor emulators: a real `node:http` server on 127.0.0.1 (random port) that records
 * every request, issues and checks OAuth2 / API-key credentials, and injects faults per test (429 with
 * Retry-After, 500, slow replies, malformed JSON), before or after the handler ran (an "after" fault models the
 * ambiguous failure: the object was created but the client never heard so).
 * Used by the unit tests and, through `start<Vendor>Emulator()`, by the Playwright fixtures.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

export interface Fault {
  /** `METHOD /path` prefix or a predicate; omitted: every request except the token endpoint. */
  match?: string | ((req: RecordedRequest) => boolean);
  status?: number;
  retryAfter?: string;
  /** Delay before answering (a "slow reply"). */
  delayMs?: number;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /** Apply after the handler ran (its side effects happened) instead of instead of it. */
  after?: boolean;
  /** How many matching requests it affects; default 1, Infinity for "always". */
  times?: number;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Exact path or a regular expression whose groups are passed to the handler. */
  path: string | RegExp;
  /** Which credentials this route needs; default 'api'. */
  auth?: 'api' | 'none';
  handle: (req: RecordedRequest, params: string[]) => Reply | Promise<Reply>;
}

export interface EmulatorHandle {
  url: string;
  /** Every request received, in order (token requests included). */
  requests: RecordedRequest[];
  setFault(fault: Fault): void;
  clearFaults(): void;
  /** Invalidates every token issued so far: the next API call gets 401. */
  expireTokens(): void;
  /** Requests matching `METHOD /path` prefix. */
  requestsTo(prefix: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface AuthConfig {
  /** OAuth2 client-credentials: the token endpoint path and the accepted client. */
  oauth?: {
    tokenPath: string;
    clientId: string;
    clientSecret: string;
    expiresIn?: number;
    /** When set, the token request must ask for exactly this scope. */
    scope?: string;
  };
  /** API key in a header: header name and expected value (compared as is, e.g. `ApiToken xyz`). */
  header?: { name: string; value: string };
}

export async function startEmulator(auth: AuthConfig, routes: Route[]): Promise<EmulatorHandle> {
  const requests: RecordedRequest[] = [];
  let faults: Array<Fault & { left: number }> = [];
  const validTokens = new Set<string>();

  function matches(fault: Fault, req: RecordedRequest): boolean {
    if (typeof fault.match === 'function') return fault.match(req);
    if (typeof fault.match === 'string') return `${req.method} ${req.path}`.startsWith(fault.match);
    return !(auth.oauth && req.path === auth.oauth.tokenPath);
  }

  function takeFault(req: RecordedRequest): Fault | undefined {
    const fault = faults.find((f) => f.left > 0 && matches(f, req));
    if (fault) fault.left -= 1;
    return fault;
  }

  function send(res: ServerResponse, reply: Reply) {
    const status = reply.status ?? 200;
    const headers: Record<string, string> = { ...reply.headers };
    let payload = '';
    if (reply.body !== undefined) {
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(status, headers);
    res.end(payload);
  }

  async function handle(req: RecordedRequest): Promise<Reply> {
    if (auth.oauth && req.method === 'POST' && req.path === auth.oauth.tokenPath) {
      const form = new URLSearchParams(req.body);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== auth.oauth.clientId ||
        form.get('client_secret') !== auth.oauth.clientSecret ||
        (auth.oauth.scope !== undefined && form.get('scope') !== auth.oauth.scope)
      ) {
        return {
          status: 401,
          body: { error: 'invalid_client', error_description: 'Invalid client credentials' },
        };
      }
      const token = randomUUID();
      validTokens.add(token);
      return {
        status: 201,
        body: { access_token: token, token_type: 'bearer', expires_in: auth.oauth.expiresIn ?? 1799 },
      };
    }
    for (const route of routes) {
      if (route.method !== req.method) continue;
      let params: string[] | undefined;
      if (typeof route.path === 'string') params = route.path === req.path ? [] : undefined;
      else {
        const m = route.path.exec(req.path);
        params = m ? m.slice(1).map((p) => decodeURIComponent(p)) : undefined;
      }
      if (!params) continue;
      if ((route.auth ?? 'api') === 'api') {
        if (auth.oauth) {
          const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
          if (!bearer || !validTokens.has(bearer)) {
            return {
              status: 401,
              body: { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] },
            };
          }
        }
        if (auth.header && req.headers[auth.header.name.toLowerCase()] !== auth.header.value) {
          return { status: 401, body: { errors: [{ code: 401, message: 'Unauthorized' }] } };
        }
      }
      return route.handle(req, params);
    }
    return { status: 404, body: { errors: [{ code: 404, message: `no route ${req.method} ${req.path}` }] } };
  }

  const server = createServer((incoming: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', async () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(incoming.headers))
        headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
      const req: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        json,
      };
      requests.push(req);
      try {
        const fault = takeFault(req);
        if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault && !fault.after && (fault.status || fault.malformed)) {
          send(res, faultReply(fault));
          return;
        }
        const reply = await handle(req);
        if (fault?.after && (fault.status || fault.malformed)) {
          send(res, faultReply(fault));
          return;
        }
        send(res, reply);
      } catch (error) {
        send(res, { status: 500, body: { errors: [{ message: String(error) }] } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    expireTokens() {
      validTokens.clear();
    },
    requestsTo(prefix) {
      return requests.filter((r) => `${r.method} ${r.path}`.startsWith(prefix));
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function faultReply(fault: Fault): Reply {
  if (fault.malformed)
    return {
      status: fault.status ?? 200,
      body: '{"resources": [ <html>oops',
      headers: { 'content-type': 'application/json' },
    };
  return {
    status: fault.status,
    body: {
      errors: [
        { code: fault.status, message: fault.status === 429 ? 'Too Many Requests' : 'Internal Server Error' },
      ],
    },
    headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
  };
}
