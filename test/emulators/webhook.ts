/**
 * Webhook receiver emulator: accepts POSTs on `/hooks/riposte`, checks a static header or the HMAC-SHA256
 * signature (`X-Riposte-Signature: sha256=hex(HMAC(secret, timestamp + "." + body))`), optionally deduplicates on
 * `Idempotency-Key`, and answers `{ id }`; `received` holds the accepted JSON documents.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type EmulatorHandle, startEmulator } from './server';

export interface WebhookEmulator extends EmulatorHandle {
  /** The webhook URL to configure. */
  hookUrl: string;
  received: unknown[];
}

export interface WebhookEmulatorOptions {
  header?: { name: string; value: string };
  hmacSecret?: string;
  deduplicate?: boolean;
}

export async function startWebhookEmulator(options: WebhookEmulatorOptions = {}): Promise<WebhookEmulator> {
  const received: unknown[] = [];
  const seen = new Map<string, string>();
  let next = 1;
  const handle = await startEmulator(options.header ? { header: options.header } : {}, [
    {
      method: 'POST',
      path: '/hooks/riposte',
      handle: (req) => {
        if (options.hmacSecret) {
          const timestamp = req.headers['x-riposte-timestamp'] ?? '';
          const given = Buffer.from(
            (req.headers['x-riposte-signature'] ?? '').replace(/^sha256=/, ''),
            'hex',
          );
          const want = createHmac('sha256', options.hmacSecret).update(`${timestamp}.${req.body}`).digest();
          if (given.length !== want.length || !timingSafeEqual(given, want)) {
            return { status: 401, body: { error: 'bad signature' } };
          }
        }
        if (req.json === undefined) return { status: 400, body: { error: 'body must be JSON' } };
        const key = req.headers['idempotency-key'];
        if (options.deduplicate && key && seen.has(key))
          return { status: 200, body: { id: seen.get(key), duplicate: true } };
        const id = `evt-${next++}`;
        if (key) seen.set(key, id);
        received.push(req.json);
        return { status: 202, body: { id } };
      },
    },
  ]);
  return { ...handle, hookUrl: `${handle.url}/hooks/riposte`, received };
}
