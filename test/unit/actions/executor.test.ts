import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crowdstrike } from '../../../lib/actions/connectors/crowdstrike';
import { parseRetryAfter } from '../../../lib/actions/executor';
import { ACTION_KINDS, type ActionKind } from '../../../lib/actions/types';
import { type CrowdStrikeEmulator, startCrowdStrikeEmulator } from '../../emulators/crowdstrike';
import { instance, testExecutor } from './harness';

let emu: CrowdStrikeEmulator;
const inst = () =>
  instance('crowdstrike', { baseUrl: emu.url, clientId: emu.clientId, clientSecret: emu.clientSecret }, [
    ...ACTION_KINDS,
  ] as ActionKind[]);
const block = (value = '203.0.114.7') => ({
  target: { type: 'ipv4' as const, value },
  note: '',
  operationId: 'op',
});
const CREATE = 'POST /iocs/entities/indicators/v1';

beforeEach(async () => {
  emu = await startCrowdStrikeEmulator();
});
afterEach(() => emu.close());

describe('executor: retries and idempotency', () => {
  it('429 then success: waits as Retry-After says and creates exactly one IOC', async () => {
    const { executor, time } = testExecutor();
    emu.setFault({ match: CREATE, status: 429, retryAfter: '3' });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('done');
    expect(emu.iocs.size).toBe(1);
    expect(emu.requestsTo(CREATE)).toHaveLength(2);
    expect(time.sleeps).toEqual([3000]);
  });

  it('Retry-After as an HTTP date is honoured too', () => {
    const now = Date.parse('2026-01-05T10:00:00Z');
    expect(parseRetryAfter('Mon, 05 Jan 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('repeated 500 ends failed with a clear message, bounded attempts and no IOC created', async () => {
    const { executor, time } = testExecutor({ maxAttempts: 4 });
    emu.setFault({ match: CREATE, status: 500, times: Number.POSITIVE_INFINITY });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /CrowdStrike kept failing \(HTTP 500\) after 4 attempts to create the custom IOC 203\.0\.114\.7/,
    );
    expect(emu.requestsTo(CREATE)).toHaveLength(4);
    expect(emu.iocs.size).toBe(0);
    // exponential backoff with jitter, capped
    expect(time.sleeps).toHaveLength(3);
    expect(time.sleeps[1]).toBeGreaterThan(time.sleeps[0] as number);
    expect(time.sleeps[2]).toBeGreaterThan(time.sleeps[1] as number);
  });

  it('a 500 after the vendor created the IOC is resolved by a lookup, not a second create', async () => {
    const { executor } = testExecutor();
    emu.setFault({ match: CREATE, status: 500, after: true, times: Number.POSITIVE_INFINITY });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('done');
    expect(emu.iocs.size).toBe(1);
    expect(emu.requestsTo(CREATE)).toHaveLength(1);
    expect(result.reference).toBe([...emu.iocs.keys()][0]);
  });

  it('a slow reply times out, is retried after a lookup, and still yields one IOC', async () => {
    const { executor } = testExecutor({ timeoutMs: 150 });
    emu.setFault({ match: CREATE, delayMs: 600, after: true, status: 200 });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('done');
    // the slow create did land (the handler ran after the delay) or the retry created it: one IOC either way
    await new Promise((r) => setTimeout(r, 700));
    expect(emu.iocs.size).toBe(1);
  });

  it('an expired token is refreshed exactly once', async () => {
    const { executor } = testExecutor();
    await executor.run(crowdstrike, inst(), 'block_ip', block('203.0.114.1'));
    expect(emu.requestsTo('POST /oauth2/token')).toHaveLength(1);
    emu.expireTokens();
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block('203.0.114.2'));
    expect(result.status).toBe('done');
    expect(emu.requestsTo('POST /oauth2/token')).toHaveLength(2);
    expect(emu.iocs.size).toBe(2);
  });

  it('a token refused again after the refresh fails with an actionable message (one refresh only)', async () => {
    const { executor } = testExecutor();
    emu.setFault({ match: 'GET /iocs/queries', status: 401, times: Number.POSITIVE_INFINITY });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/CrowdStrike refused the token \(401\).*check the client secret/);
    expect(emu.requestsTo('POST /oauth2/token')).toHaveLength(2);
    expect(emu.requestsTo(CREATE)).toHaveLength(0);
  });

  it('the token is cached across actions', async () => {
    const { executor } = testExecutor();
    await executor.run(crowdstrike, inst(), 'block_ip', block('203.0.114.1'));
    await executor.run(crowdstrike, inst(), 'block_ip', block('203.0.114.2'));
    expect(emu.requestsTo('POST /oauth2/token')).toHaveLength(1);
  });

  it('malformed JSON is reported, not crashed on', async () => {
    const { executor } = testExecutor();
    emu.setFault({ match: 'GET /iocs/queries', malformed: true });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /CrowdStrike answered "look up the custom IOC" with a body that is not JSON/,
    );
  });

  it('a Retry-After beyond the bound fails instead of waiting for minutes', async () => {
    const { executor, time } = testExecutor();
    emu.setFault({ match: CREATE, status: 429, retryAfter: '3600' });
    const result = await executor.run(crowdstrike, inst(), 'block_ip', block());
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/asks to wait 3600 s/);
    expect(time.sleeps).toEqual([]);
    expect(emu.iocs.size).toBe(0);
  });

  it('cancellation stops before anything is created', async () => {
    const { executor } = testExecutor();
    const controller = new AbortController();
    emu.setFault({ match: CREATE, status: 503, times: Number.POSITIVE_INFINITY });
    const running = executor.run(crowdstrike, inst(), 'block_ip', block(), controller.signal);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.message).toMatch(/Cancelled/);
    expect(emu.iocs.size).toBe(0);
  });

  it('invalid settings name the field to fix', async () => {
    const { executor } = testExecutor();
    const result = await executor.run(
      crowdstrike,
      instance('crowdstrike', { baseUrl: emu.url, clientId: '' }, ['block_ip']),
      'block_ip',
      block(),
    );
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/clientId — the API client ID is required/);
    expect(emu.requests).toHaveLength(0);
  });

  it('an action the instance did not enable is refused without a request', async () => {
    const { executor } = testExecutor();
    const limited = instance('crowdstrike', { baseUrl: emu.url, clientId: 'a', clientSecret: 'b' }, [
      'block_hash',
    ]);
    const result = await executor.run(crowdstrike, limited, 'block_ip', block());
    expect(result.message).toMatch(/not enabled/);
    expect(emu.requests).toHaveLength(0);
  });
});
