/**
 * Test helpers for the response framework: an executor wired to the real `fetch` (emulators are real HTTP
 * servers) with a fake clock and a sleep that only records how long it was asked to wait.
 * `actionTest(kind, name, fn)` names a test after the action it covers; the meta-test reads those calls.
 */
import { it } from 'vitest';
import { createExecutor, type Executor } from '../../../lib/actions/executor';
import type { ActionKind, ConnectorInstance } from '../../../lib/actions/types';

export interface FakeTime {
  now: number;
  sleeps: number[];
}

export function testExecutor(options: { timeoutMs?: number; maxAttempts?: number } = {}): {
  executor: Executor;
  time: FakeTime;
} {
  const time: FakeTime = { now: Date.parse('2026-01-05T10:00:00Z'), sleeps: [] };
  const executor = createExecutor({
    fetch: (input, init) => fetch(input, init),
    now: () => time.now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) {
        const error = new Error('cancelled');
        error.name = 'AbortError';
        throw error;
      }
      time.sleeps.push(ms);
      time.now += ms;
    },
    random: () => 0.5,
    timeoutMs: options.timeoutMs ?? 2_000,
    maxAttempts: options.maxAttempts ?? 4,
  });
  return { executor, time };
}

export function instance(
  vendor: string,
  settings: unknown,
  enabledActions: ActionKind[],
  id = `${vendor}-1`,
): ConnectorInstance {
  return { id, label: `${vendor} (test tenant)`, vendor, settings, enabledActions };
}

/** A test that exercises one declared action of a connector against its emulator. */
export function actionTest(kind: ActionKind, name: string, fn: () => Promise<void>): void {
  it(`${kind}: ${name}`, fn);
}
