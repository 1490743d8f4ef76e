import { afterEach, describe, expect, it } from 'vitest';
import { webhook } from '../../../../lib/actions/connectors/webhook';
import type { ActionTarget } from '../../../../lib/actions/types';
import { ACTION_KINDS, type ActionKind } from '../../../../lib/actions/types';
import { startWebhookEmulator, type WebhookEmulator } from '../../../emulators/webhook';
import { actionTest, instance, testExecutor } from '../harness';

let emu: WebhookEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const SECRET = 'whsec_0123456789abcdef-riposte';
const inst = (settings: Record<string, unknown>) =>
  instance('webhook', settings, [...ACTION_KINDS] as ActionKind[]);
const input = (target: ActionTarget) => ({
  target,
  note: 'from case 9 "quoted"',
  pageUrl: 'https://edr.example/alerts/9',
  operationId: 'op-9',
});

const SAMPLE: Record<ActionKind, ActionTarget> = {
  block_ip: { type: 'ipv4', value: '45.77.12.9' },
  unblock_ip: { type: 'ipv4', value: '45.77.12.9' },
  block_domain: { type: 'domain', value: 'evil.example.net' },
  unblock_domain: { type: 'domain', value: 'evil.example.net' },
  block_url: { type: 'url', value: 'https://evil.example.net/x?a=1&b="2"' },
  unblock_url: { type: 'url', value: 'https://evil.example.net/x' },
  block_hash: { type: 'sha256', value: 'e'.repeat(64) },
  unblock_hash: { type: 'sha256', value: 'e'.repeat(64) },
  isolate_host: { type: 'hostname', value: 'WS-0231' },
  release_host: { type: 'hostname', value: 'WS-0231' },
  create_case: { type: 'domain', value: 'evil.example.net' },
  run_playbook: { type: 'md5', value: 'f'.repeat(32) },
};

describe('generic webhook connector', () => {
  for (const kind of ACTION_KINDS) {
    actionTest(kind, 'posts the templated JSON with an HMAC signature the receiver verifies', async () => {
      emu = await startWebhookEmulator({ hmacSecret: SECRET });
      const { executor } = testExecutor();
      const result = await executor.run(
        webhook,
        inst({ url: emu.hookUrl, auth: { kind: 'hmac', secret: SECRET } }),
        kind,
        input(SAMPLE[kind]),
      );
      expect(result).toMatchObject({ status: 'done', reference: 'evt-1' });
      expect(emu.received).toEqual([
        {
          source: 'riposte',
          action: kind,
          indicator: SAMPLE[kind],
          note: 'from case 9 "quoted"',
          page_url: 'https://edr.example/alerts/9',
          operation_id: 'op-9',
          requested_at: '2026-01-05T10:00:00.000Z',
        },
      ]);
      expect(emu.requests[0]?.headers['idempotency-key']).toBe('op-9');
      expect(emu.requests[0]?.body).not.toContain(SECRET);
    });
  }

  it('a custom template and header auth', async () => {
    emu = await startWebhookEmulator({ header: { name: 'X-Api-Key', value: 'k-123456' } });
    const { executor } = testExecutor();
    const template = JSON.stringify({
      text: 'Riposte asks to {{action.label}} {{indicator.value}}',
      tags: ['{{indicator.type}}'],
    });
    const result = await executor.run(
      webhook,
      inst({ url: emu.hookUrl, template, auth: { kind: 'header', name: 'X-Api-Key', value: 'k-123456' } }),
      'block_domain',
      input(SAMPLE.block_domain),
    );
    expect(result.status).toBe('done');
    expect(emu.received).toEqual([
      { text: 'Riposte asks to Block domain evil.example.net', tags: ['domain'] },
    ]);
  });

  it('a wrong signing secret is refused by the receiver and explained', async () => {
    emu = await startWebhookEmulator({ hmacSecret: SECRET });
    const { executor } = testExecutor();
    const result = await executor.run(
      webhook,
      inst({ url: emu.hookUrl, auth: { kind: 'hmac', secret: 'x'.repeat(20) } }),
      'block_ip',
      input(SAMPLE.block_ip),
    );
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/Webhook refused the request \(401\)/);
  });

  it('a 500 is not retried when the receiver may not deduplicate: failed, one delivery at most', async () => {
    emu = await startWebhookEmulator();
    const { executor } = testExecutor();
    emu.setFault({ status: 500, times: Number.POSITIVE_INFINITY });
    const result = await executor.run(
      webhook,
      inst({ url: emu.hookUrl }),
      'create_case',
      input(SAMPLE.create_case),
    );
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/cannot tell whether the first attempt took effect/);
    expect(emu.requests).toHaveLength(1);
  });

  it('with a deduplicating receiver, a 500 after delivery is retried with the same key and delivered once', async () => {
    emu = await startWebhookEmulator({ deduplicate: true });
    const { executor } = testExecutor();
    emu.setFault({ status: 500, after: true });
    const result = await executor.run(
      webhook,
      inst({ url: emu.hookUrl, receiverDeduplicates: true }),
      'create_case',
      input(SAMPLE.create_case),
    );
    expect(result).toMatchObject({ status: 'done', reference: 'evt-1' });
    expect(emu.requests).toHaveLength(2);
    expect(emu.received).toHaveLength(1);
  });

  it('429 then success delivers once', async () => {
    emu = await startWebhookEmulator();
    const { executor, time } = testExecutor();
    emu.setFault({ status: 429, retryAfter: '2' });
    const result = await executor.run(
      webhook,
      inst({ url: emu.hookUrl }),
      'block_ip',
      input(SAMPLE.block_ip),
    );
    expect(result.status).toBe('done');
    expect(emu.received).toHaveLength(1);
    expect(time.sleeps).toEqual([2000]);
  });

  it('an invalid template is a settings error', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      webhook,
      inst({ url: 'https://hooks.example/x', template: '{"a": ' }),
      'block_ip',
      input(SAMPLE.block_ip),
    );
    expect(result.message).toMatch(/template — the template must be valid JSON/);
  });
});
