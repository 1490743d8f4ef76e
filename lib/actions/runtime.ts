/**
 * Wires the response framework for the background service worker: one database, one audit log (scrubbing every
 * configured secret), one executor, one poller, one service. The entry point passes the browser pieces in
 * (`fetch`, the instances and policy readers from lib/settings, `browser.alarms`), so nothing here touches a
 * browser API and the whole runtime runs in Node tests.
 */
import type { DexieOptions } from 'dexie';
import { ActionsDatabase, AuditLog, makeRedactor } from './audit';
import { secretValues } from './connector';
import { createExecutor, defaultExecutorDeps, type ExecutorDeps } from './executor';
import type { GuardrailPolicy } from './guardrails';
import { createPoller, POLL_ALARM, type Poller, type WakeScheduler } from './pending';
import { connectorById } from './registry';
import { type ActionService, createActionService, type OperationStatus } from './service';
import type { ConnectorInstance } from './types';

/** The subset of `browser.alarms` the poller needs. */
export interface AlarmsApi {
  create(name: string, info: { when: number }): void | Promise<void>;
  clear(name: string): unknown;
}

/**
 * `chrome.alarms` fires at most every 30 s and survives worker restarts; a timer gives quicker polls while the
 * worker is alive. Both call `tick`, which runs one poll pass at a time.
 */
export function alarmWake(alarms: AlarmsApi, tick: () => void, now: () => number = Date.now): WakeScheduler {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    async schedule(when) {
      await alarms.create(POLL_ALARM, { when: Math.max(when, now() + 30_000) });
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, Math.max(0, when - now()));
    },
    async clear() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await alarms.clear(POLL_ALARM);
    },
  };
}

export interface ActionsRuntimeOptions {
  instances: () => Promise<ConnectorInstance[]>;
  policy: () => Promise<GuardrailPolicy>;
  /** Builds the wake-up scheduler once the poller exists (e.g. `(tick) => alarmWake(browser.alarms, tick)`). */
  wake: (tick: () => void) => WakeScheduler;
  executorDeps?: Partial<ExecutorDeps>;
  dbOptions?: DexieOptions;
  newId?: () => string;
  onUpdate?: (status: OperationStatus) => void;
  maxPendingMs?: number;
  firstPollDelayMs?: number;
}

export interface ActionsRuntime {
  db: ActionsDatabase;
  audit: AuditLog;
  poller: Poller;
  service: ActionService;
  /** Call from `browser.alarms.onAlarm` when `alarm.name === POLL_ALARM`. */
  onAlarm(name: string): Promise<void>;
  /** Applies the audit retention setting (`actions.auditRetentionDays`); call at start-up and daily. */
  purgeAudit(retentionDays: number): Promise<number>;
}

export function createActionsRuntime(options: ActionsRuntimeOptions): ActionsRuntime {
  const deps = { ...defaultExecutorDeps(), ...options.executorDeps };
  const db = new ActionsDatabase(options.dbOptions);
  let secrets: string[] = [];
  const instances = async () => {
    const list = await options.instances();
    secrets = list.flatMap((i) => {
      const connector = connectorById(i.vendor);
      return connector ? secretValues(connector, i.settings) : [];
    });
    return list;
  };
  const audit = new AuditLog(
    db,
    makeRedactor(() => secrets),
  );
  const executor = createExecutor(deps);
  let service: ActionService | undefined;
  const poller: Poller = createPoller({
    db,
    audit,
    executor,
    now: deps.now,
    resolve: async (instanceId) => {
      const instance = (await instances()).find((i) => i.id === instanceId);
      const connector = instance && connectorById(instance.vendor);
      return instance && connector ? { instance, connector } : undefined;
    },
    wake: options.wake(() => void poller.tick()),
    onUpdate: (id, result) => service?.onPollUpdate(id, result),
    maxPendingMs: options.maxPendingMs,
    firstDelayMs: options.firstPollDelayMs,
  });
  service = createActionService({
    executor,
    audit,
    poller,
    instances,
    policy: options.policy,
    now: deps.now,
    newId: options.newId ?? (() => crypto.randomUUID()),
    onUpdate: options.onUpdate,
  });
  return {
    db,
    audit,
    poller,
    service,
    async onAlarm(name) {
      if (name === POLL_ALARM) await poller.tick();
    },
    purgeAudit: (days) => audit.purge(days, deps.now()),
  };
}
