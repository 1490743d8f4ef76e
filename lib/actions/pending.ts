/**
 * Asynchronous operations (an isolation the sensor has not confirmed yet, a machine action, a playbook run) kept
 * in IndexedDB and polled with backoff, so that a service-worker or browser restart does not lose track of them.
 * The wake-up mechanism is injected (`WakeScheduler`): in the extension it is `chrome.alarms` (plus a timer while
 * the worker is alive, since alarms fire at most every 30 s); in tests a fake.
 */

import type { ActionsDatabase, AuditLog, PendingOperation } from './audit';
import type { AnyConnector } from './connector';
import type { Executor } from './executor';
import type { ActionResult, ConnectorInstance } from './types';

export const POLL_ALARM = 'riposte-actions-poll';

export interface WakeScheduler {
  /** Wake the poller at (or soon after) epoch ms `when`; replaces any earlier wake-up. */
  schedule(when: number): void | Promise<void>;
  /** No pending work left. */
  clear(): void | Promise<void>;
}

export interface PollerDeps {
  db: ActionsDatabase;
  audit: AuditLog;
  executor: Executor;
  /** Current connector + instance for an instance id (settings may have changed since the operation started). */
  resolve: (
    instanceId: string,
  ) => Promise<{ connector: AnyConnector; instance: ConnectorInstance } | undefined>;
  wake: WakeScheduler;
  now: () => number;
  /** Live status for the UI. */
  onUpdate?: (operationId: string, result: ActionResult) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** How long an operation may stay pending; default 30 minutes. */
  maxPendingMs?: number;
}

export interface Poller {
  /** Stores a pending operation (from the executor's `pending` result) and schedules its first poll. */
  track(op: Omit<PendingOperation, 'nextPollAt' | 'polls' | 'deadline'>): Promise<void>;
  /** Polls every due operation once; call it from the alarm / timer. Safe to call concurrently. */
  tick(): Promise<void>;
  /** On worker start-up: re-arm the wake-up for what is still pending. */
  resume(): Promise<void>;
  list(): Promise<PendingOperation[]>;
  /** Stops following an operation (the analyst cancelled); audits it as cancelled. */
  forget(operationId: string, message: string): Promise<boolean>;
}

export function createPoller(deps: PollerDeps): Poller {
  const first = deps.firstDelayMs ?? 5_000;
  const max = deps.maxDelayMs ?? 120_000;
  const maxPending = deps.maxPendingMs ?? 30 * 60_000;
  let running: Promise<void> | undefined;

  const delay = (polls: number) => Math.min(max, first * 2 ** polls);

  async function rearm(): Promise<void> {
    const next = await deps.db.pending.orderBy('nextPollAt').first();
    if (next) await deps.wake.schedule(next.nextPollAt);
    else await deps.wake.clear();
  }

  async function finish(op: PendingOperation, result: ActionResult): Promise<void> {
    const recorded = await deps.audit.completePending(op.operationId, {
      time: deps.now(),
      operationId: op.operationId,
      phase: 'outcome',
      instanceId: op.instanceId,
      instanceLabel: op.instanceLabel,
      vendor: op.vendor,
      action: op.action,
      targetType: op.targetType,
      target: op.target,
      pageUrl: op.pageUrl,
      result: result.status === 'done' ? 'done' : 'failed',
      reference: result.reference ?? op.reference,
      message: result.message,
    });
    if (recorded) deps.onUpdate?.(op.operationId, result);
  }

  async function pollOne(op: PendingOperation): Promise<void> {
    const now = deps.now();
    const resolved = await deps.resolve(op.instanceId);
    if (!resolved) {
      await finish(op, {
        status: 'failed',
        reference: op.reference,
        message: `The connector "${op.instanceLabel}" was removed while ${op.target} was pending; check the vendor console.`,
      });
      return;
    }
    const result = await deps.executor.poll(resolved.connector, resolved.instance, op.action, op.handle);
    const stillWaiting =
      result.status === 'pending' || (result.status === 'failed' && result.retryable === true);
    if (!stillWaiting) {
      await finish(op, result);
      return;
    }
    if (now >= op.deadline) {
      const minutes = Math.round((op.deadline - op.startedAt) / 60_000);
      await finish(op, {
        status: 'failed',
        reference: op.reference,
        message: `${resolved.connector.label} had not confirmed after ${minutes} min (last status: ${result.message}) — check the console.`,
      });
      return;
    }
    const updated: PendingOperation = {
      ...op,
      handle: result.poll ?? op.handle,
      polls: op.polls + 1,
      nextPollAt: now + delay(op.polls + 1),
      lastMessage: result.message,
    };
    // only update if nobody finished it meanwhile
    await deps.db.transaction('rw', deps.db.pending, async () => {
      if (await deps.db.pending.get(op.operationId)) await deps.db.pending.put(updated);
    });
    deps.onUpdate?.(op.operationId, { status: 'pending', reference: op.reference, message: result.message });
  }

  async function runTick(): Promise<void> {
    const due = await deps.db.pending.where('nextPollAt').belowOrEqual(deps.now()).toArray();
    for (const op of due) await pollOne(op);
    await rearm();
  }

  return {
    async track(op) {
      const now = deps.now();
      await deps.db.pending.put({ ...op, polls: 0, nextPollAt: now + first, deadline: now + maxPending });
      await rearm();
    },
    tick() {
      // one tick at a time: an alarm and a timer firing together must not poll (and audit) twice
      running ??= runTick().finally(() => {
        running = undefined;
      });
      return running;
    },
    resume: rearm,
    list: () => deps.db.pending.toArray(),
    async forget(operationId, message) {
      const op = await deps.db.pending.get(operationId);
      if (!op) return false;
      const recorded = await deps.audit.completePending(operationId, {
        time: deps.now(),
        operationId,
        phase: 'outcome',
        instanceId: op.instanceId,
        instanceLabel: op.instanceLabel,
        vendor: op.vendor,
        action: op.action,
        targetType: op.targetType,
        target: op.target,
        pageUrl: op.pageUrl,
        result: 'cancelled',
        reference: op.reference,
        message,
      });
      await rearm();
      return recorded;
    },
  };
}
