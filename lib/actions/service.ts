/**
 * The background-facing API of the response framework. The UI (side panel, hover card via the background,
 * options page) only ever calls these, through the messaging protocol:
 *
 *   available(target)          -> which configured instance can do what to it (with D3FEND countermeasures)
 *   prepare(request)           -> a confirmation: plain-language lines per target, refusals with reasons,
 *                                 and for isolation / bulk a second confirmation naming the host / the count
 *   confirm(id, typed?)        -> executes a prepared request, once; a double click returns the same operations
 *   status / recent / cancel / undo (undo returns a new confirmation), testConnection
 *
 * Guardrails run at prepare time, so a refused target never reaches a connector; every attempt and outcome is
 * audited; asynchronous results are handed to the poller (IndexedDB + alarms).
 */

import { type AuditLog, makeRedactor } from './audit';
import { type AnyConnector, connectorHosts, secretValues } from './connector';
import type { Executor } from './executor';
import { checkGuardrails, type GuardrailPolicy } from './guardrails';
import { redactPageUrl } from './page-url';
import type { Poller } from './pending';
import {
  type AvailableAction,
  actionsForCountermeasure,
  availableActions,
  connectorById,
  countermeasuresOf,
} from './registry';
import {
  ACTION_LABELS,
  type ActionKind,
  type ActionResult,
  type ActionTarget,
  type ConnectorInstance,
  type D3fendCountermeasure,
  HIGH_IMPACT_ACTIONS,
  type TargetType,
  UNDO_OF,
} from './types';

export interface PrepareRequest {
  instanceId: string;
  action: ActionKind;
  targets: ActionTarget[];
  note?: string;
  pageUrl?: string;
  playbook?: string;
}

export interface SecondConfirmation {
  kind: 'host' | 'count';
  /** What the analyst must type (the host name, or the number of targets). */
  expected: string;
  prompt: string;
}

export interface PreparedItem {
  target: ActionTarget;
  /** One plain-language line per request that will be sent. */
  lines: string[];
}

export interface Prepared {
  id: string;
  instanceId: string;
  instanceLabel: string;
  vendor: string;
  vendorLabel: string;
  action: ActionKind;
  actionLabel: string;
  countermeasures: D3fendCountermeasure[];
  items: PreparedItem[];
  refused: Array<{ target: ActionTarget; reason: string }>;
  secondConfirmation?: SecondConfirmation;
  expiresAt: number;
}

export type OperationState = 'running' | 'pending' | 'done' | 'failed' | 'cancelled';

export interface OperationStatus {
  operationId: string;
  preparedId: string;
  instanceId: string;
  instanceLabel: string;
  /** Connector id. */
  vendor: string;
  action: ActionKind;
  target: ActionTarget;
  state: OperationState;
  reference?: string;
  message: string;
  /** The undo action this instance offers for it, once it is done. */
  undo?: ActionKind;
  startedAt: number;
  updatedAt: number;
}

export type PrepareResult = { ok: true; prepared: Prepared } | { ok: false; error: string };
export type ConfirmResult = { ok: true; operations: OperationStatus[] } | { ok: false; error: string };

export interface ActionServiceDeps {
  executor: Executor;
  audit: AuditLog;
  poller: Poller;
  /** Configured instances, with secrets (background only). */
  instances: () => Promise<ConnectorInstance[]>;
  policy: () => Promise<GuardrailPolicy>;
  now: () => number;
  newId: () => string;
  onUpdate?: (status: OperationStatus) => void;
  confirmationTtlMs?: number;
}

export interface ActionService {
  available(target: { type: TargetType; value?: string }): Promise<AvailableAction[]>;
  /**
   * A technique card's "Apply" buttons: the configured actions carrying out these D3FEND countermeasures, each with
   * the page's indicators it accepts (the UI then calls `prepare` with them; isolation needs a host name instead).
   */
  forCountermeasures(
    d3fendIds: string[],
    indicators?: ActionTarget[],
  ): Promise<Array<AvailableAction & { targets: ActionTarget[] }>>;
  prepare(request: PrepareRequest): Promise<PrepareResult>;
  confirm(preparedId: string, typed?: string): Promise<ConfirmResult>;
  /** Drops a confirmation the analyst dismissed. */
  dismiss(preparedId: string): void;
  status(operationId: string): Promise<OperationStatus | undefined>;
  recent(): OperationStatus[];
  cancel(operationId: string): Promise<OperationStatus | undefined>;
  undo(operationId: string): Promise<PrepareResult>;
  testConnection(instance: ConnectorInstance): Promise<ActionResult>;
  /** The poller reports here (wire `createPoller({ onUpdate: service.onPollUpdate })`). */
  onPollUpdate(operationId: string, result: ActionResult): void;
  /** Resolves when every started execution has returned (tests, shutdown). */
  settle(): Promise<void>;
  /** Mask for messages: every configured secret replaced. */
  redact(text: string): string;
}

export function createActionService(deps: ActionServiceDeps): ActionService {
  const ttl = deps.confirmationTtlMs ?? 5 * 60_000;
  const prepared = new Map<string, Prepared>();
  const requests = new Map<string, PrepareRequest>();
  const confirmed = new Map<string, OperationStatus[]>();
  const operations = new Map<string, OperationStatus>();
  const controllers = new Map<string, AbortController>();
  const inFlight = new Map<string, string>(); // dedupe key -> operation id
  const running = new Set<Promise<void>>();
  let secrets: string[] = [];
  const redact = makeRedactor(() => secrets);

  async function loadInstances(): Promise<ConnectorInstance[]> {
    const list = await deps.instances();
    secrets = list.flatMap((i) => {
      const connector = connectorById(i.vendor);
      return connector ? secretValues(connector, i.settings) : [];
    });
    return list;
  }

  async function resolve(
    instanceId: string,
  ): Promise<{ connector: AnyConnector; instance: ConnectorInstance } | undefined> {
    const instance = (await loadInstances()).find((i) => i.id === instanceId);
    const connector = instance && connectorById(instance.vendor);
    return instance && connector ? { connector, instance } : undefined;
  }

  function update(op: OperationStatus, patch: Partial<OperationStatus>): OperationStatus {
    const next = { ...op, ...patch, message: redact(patch.message ?? op.message), updatedAt: deps.now() };
    operations.set(op.operationId, next);
    deps.onUpdate?.(next);
    return next;
  }

  function dedupeKey(instanceId: string, action: ActionKind, target: ActionTarget): string {
    return `${instanceId}\u0000${action}\u0000${target.type}\u0000${target.value.toLowerCase()}`;
  }

  async function allHosts(instances: ConnectorInstance[]): Promise<string[]> {
    return instances.flatMap((i) => {
      const connector = connectorById(i.vendor);
      if (!connector) return [];
      const parsed = connector.settingsSchema.safeParse(i.settings);
      return parsed.success ? connectorHosts(connector, parsed.data) : [];
    });
  }

  async function execute(
    p: Prepared,
    item: PreparedItem,
    op: OperationStatus,
    request: PrepareRequest,
  ): Promise<void> {
    const resolved = await resolve(p.instanceId);
    const key = dedupeKey(p.instanceId, p.action, item.target);
    const auditBase = {
      operationId: op.operationId,
      instanceId: p.instanceId,
      instanceLabel: p.instanceLabel,
      vendor: resolved?.connector.id ?? 'unknown',
      action: p.action,
      targetType: item.target.type,
      target: item.target.value,
      pageUrl: request.pageUrl,
    };
    await deps.audit.record({
      ...auditBase,
      time: deps.now(),
      phase: 'attempt',
      result: 'requested',
      note: request.note,
    });
    const controller = new AbortController();
    controllers.set(op.operationId, controller);
    let result: ActionResult;
    try {
      result = resolved
        ? await deps.executor.run(
            resolved.connector,
            resolved.instance,
            p.action,
            {
              target: item.target,
              note: request.note ?? '',
              pageUrl: request.pageUrl,
              operationId: op.operationId,
              playbook: request.playbook,
            },
            controller.signal,
          )
        : {
            status: 'failed',
            message: `The connector "${p.instanceLabel}" was removed before the request was sent.`,
          };
    } finally {
      controllers.delete(op.operationId);
    }
    const cancelled = controller.signal.aborted && result.status === 'failed';
    if (result.status === 'pending' && result.poll) {
      await deps.audit.record({
        ...auditBase,
        time: deps.now(),
        phase: 'progress',
        result: 'pending',
        reference: result.reference,
        message: result.message,
      });
      await deps.poller.track({
        operationId: op.operationId,
        instanceId: p.instanceId,
        instanceLabel: p.instanceLabel,
        vendor: p.vendor,
        action: p.action,
        targetType: item.target.type,
        target: item.target.value,
        pageUrl: request.pageUrl,
        reference: result.reference,
        handle: result.poll,
        startedAt: op.startedAt,
        lastMessage: result.message,
      });
      update(operations.get(op.operationId) ?? op, {
        state: 'pending',
        reference: result.reference,
        message: result.message,
      });
      return; // the dedupe key stays taken until the poller finishes
    }
    const state: OperationState = cancelled ? 'cancelled' : result.status === 'done' ? 'done' : 'failed';
    await deps.audit.record({
      ...auditBase,
      time: deps.now(),
      phase: 'outcome',
      result: state === 'cancelled' ? 'cancelled' : result.status === 'done' ? 'done' : 'failed',
      reference: result.reference,
      message: result.message,
    });
    inFlight.delete(key);
    update(operations.get(op.operationId) ?? op, {
      state,
      reference: result.reference,
      message: result.message,
      undo: state === 'done' ? undoFor(resolved?.connector, p.action) : undefined,
    });
  }

  async function fromAudit(operationId: string): Promise<OperationStatus | undefined> {
    const entries = await deps.audit.db.entries.where('operationId').equals(operationId).sortBy('time');
    const first = entries[0];
    const last = entries.at(-1);
    if (!first || !last) return undefined;
    const state: OperationState =
      last.result === 'requested' || last.result === 'pending'
        ? 'pending'
        : last.result === 'refused'
          ? 'failed'
          : last.result;
    return {
      operationId,
      preparedId: operationId,
      instanceId: last.instanceId,
      instanceLabel: last.instanceLabel,
      vendor: last.vendor,
      action: last.action,
      target: { type: last.targetType as TargetType, value: last.target },
      state,
      reference: last.reference,
      message: last.message ?? '',
      undo: state === 'done' ? undoFor(connectorById(last.vendor), last.action) : undefined,
      startedAt: first.time,
      updatedAt: last.time,
    };
  }

  /** Keeps memory bounded in a long-lived worker: finished operations older than a day are dropped. */
  function prune(): void {
    if (operations.size < 500) return;
    const cutoff = deps.now() - 86_400_000;
    for (const [id, op] of operations) {
      if (op.updatedAt < cutoff && op.state !== 'running' && op.state !== 'pending') {
        operations.delete(id);
        confirmed.delete(op.preparedId);
      }
    }
    for (const [id, p] of prepared)
      if (p.expiresAt < deps.now()) {
        prepared.delete(id);
        requests.delete(id);
      }
  }

  function undoFor(connector: AnyConnector | undefined, action: ActionKind): ActionKind | undefined {
    const undo = UNDO_OF[action];
    return undo && connector?.actions[undo] ? undo : undefined;
  }

  const service: ActionService = {
    async available(target) {
      return availableActions(await loadInstances(), target.type);
    },

    async forCountermeasures(ids, indicators = []) {
      const list = await loadInstances();
      return actionsForCountermeasure(list, ids).map((a) => {
        const accepted = connectorById(a.vendor)?.actions[a.action]?.targets ?? [];
        return { ...a, targets: indicators.filter((t) => accepted.includes(t.type)) };
      });
    },

    async prepare(raw) {
      const request: PrepareRequest = raw.pageUrl ? { ...raw, pageUrl: redactPageUrl(raw.pageUrl) } : raw;
      const instances = await loadInstances();
      const instance = instances.find((i) => i.id === request.instanceId);
      const connector = instance && connectorById(instance.vendor);
      if (!instance || !connector)
        return { ok: false, error: 'This connector is no longer configured; reopen the options page.' };
      const spec = connector.actions[request.action];
      if (!spec || !instance.enabledActions.includes(request.action)) {
        return {
          ok: false,
          error: `"${ACTION_LABELS[request.action]}" is not available on "${instance.label}".`,
        };
      }
      if (request.targets.length === 0) return { ok: false, error: 'Nothing selected to act on.' };
      const parsed = connector.settingsSchema.safeParse(instance.settings);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return {
          ok: false,
          error: `The settings of "${instance.label}" are incomplete (${issue?.path.join('.') || 'settings'}: ${issue?.message}); fix them in the options page.`,
        };
      }
      const policy = await deps.policy();
      const hosts = await allHosts(instances);
      const id = deps.newId();
      const items: PreparedItem[] = [];
      const refused: Prepared['refused'] = [];
      const seen = new Set<string>();
      for (const target of request.targets) {
        const k = `${target.type}\u0000${target.value.toLowerCase()}`;
        if (seen.has(k)) continue;
        seen.add(k);
        if (!spec.targets.includes(target.type)) {
          refused.push({
            target,
            reason: `${connector.label} cannot ${ACTION_LABELS[request.action].toLowerCase()} for a ${target.type}.`,
          });
          continue;
        }
        const verdict = checkGuardrails({ action: request.action, target, policy, connectorHosts: hosts });
        if (!verdict.allowed) {
          refused.push({ target, reason: verdict.reason });
          continue;
        }
        const input = {
          target,
          note: request.note ?? '',
          pageUrl: request.pageUrl,
          operationId: id,
          playbook: request.playbook,
        };
        items.push({ target, lines: spec.describe(parsed.data, input).map(redact) });
      }
      for (const r of refused) {
        await deps.audit.record({
          time: deps.now(),
          operationId: id,
          phase: 'attempt',
          instanceId: instance.id,
          instanceLabel: instance.label,
          vendor: connector.id,
          action: request.action,
          targetType: r.target.type,
          target: r.target.value,
          pageUrl: request.pageUrl,
          note: request.note,
          result: 'refused',
          message: r.reason,
        });
      }
      let secondConfirmation: SecondConfirmation | undefined;
      if (HIGH_IMPACT_ACTIONS.has(request.action) && items.length === 1) {
        const host = (items[0] as PreparedItem).target.value;
        secondConfirmation = {
          kind: 'host',
          expected: host,
          prompt: `Type the host name ${host} to confirm its isolation.`,
        };
      } else if (items.length > 1) {
        secondConfirmation = {
          kind: 'count',
          expected: String(items.length),
          prompt: `This sends ${items.length} requests to ${instance.label}. Type ${items.length} to confirm.`,
        };
      }
      const p: Prepared = {
        id,
        instanceId: instance.id,
        instanceLabel: instance.label,
        vendor: connector.id,
        vendorLabel: connector.label,
        action: request.action,
        actionLabel: ACTION_LABELS[request.action],
        countermeasures: countermeasuresOf(request.action),
        items,
        refused,
        secondConfirmation,
        expiresAt: deps.now() + ttl,
      };
      if (items.length > 0) {
        prepared.set(id, p);
        requests.set(id, request);
      }
      return { ok: true, prepared: p };
    },

    async confirm(preparedId, typed) {
      const already = confirmed.get(preparedId);
      if (already) return { ok: true, operations: already.map((o) => operations.get(o.operationId) ?? o) };
      const p = prepared.get(preparedId);
      const request = requests.get(preparedId);
      if (!p || !request)
        return { ok: false, error: 'This confirmation is no longer valid; choose the action again.' };
      if (deps.now() > p.expiresAt) {
        prepared.delete(preparedId);
        return { ok: false, error: 'This confirmation expired; choose the action again.' };
      }
      if (
        p.secondConfirmation &&
        (typed ?? '').trim().toLowerCase() !== p.secondConfirmation.expected.toLowerCase()
      ) {
        return { ok: false, error: `Not confirmed: ${p.secondConfirmation.prompt}` };
      }
      prepared.delete(preparedId);
      prune();
      const ops: OperationStatus[] = [];
      const toRun: Array<{ item: PreparedItem; op: OperationStatus }> = [];
      p.items.forEach((item, index) => {
        const key = dedupeKey(p.instanceId, p.action, item.target);
        const existing = inFlight.get(key);
        const existingOp = existing ? operations.get(existing) : undefined;
        if (existingOp && (existingOp.state === 'running' || existingOp.state === 'pending')) {
          ops.push(existingOp);
          return;
        }
        const op: OperationStatus = {
          operationId: p.items.length === 1 ? preparedId : `${preparedId}-${index + 1}`,
          preparedId,
          instanceId: p.instanceId,
          instanceLabel: p.instanceLabel,
          vendor: p.vendor,
          action: p.action,
          target: item.target,
          state: 'running',
          message: `Sending "${p.actionLabel}" for ${item.target.value} to ${p.instanceLabel}…`,
          startedAt: deps.now(),
          updatedAt: deps.now(),
        };
        operations.set(op.operationId, op);
        inFlight.set(key, op.operationId);
        ops.push(op);
        toRun.push({ item, op });
      });
      confirmed.set(preparedId, ops);
      // one request at a time per confirmation: vendors rate-limit, and a bulk action stays readable in the audit
      const work = (async () => {
        for (const { item, op } of toRun) {
          try {
            await execute(p, item, op, request);
          } catch (error) {
            inFlight.delete(dedupeKey(p.instanceId, p.action, item.target));
            update(operations.get(op.operationId) ?? op, {
              state: 'failed',
              message: `Riposte could not record or run this action: ${error instanceof Error ? error.message : String(error)}.`,
            });
          }
        }
      })();
      running.add(work);
      void work.finally(() => running.delete(work));
      return { ok: true, operations: ops };
    },

    dismiss(preparedId) {
      prepared.delete(preparedId);
      requests.delete(preparedId);
    },

    async status(operationId) {
      const known = operations.get(operationId);
      if (known) return known;
      // after a worker restart, memory is gone: the pending table, then the audit log, remember
      const pending = (await deps.poller.list()).find((o) => o.operationId === operationId);
      if (!pending) return fromAudit(operationId);
      return {
        operationId,
        preparedId: operationId,
        instanceId: pending.instanceId,
        instanceLabel: pending.instanceLabel,
        vendor: pending.vendor,
        action: pending.action,
        target: { type: pending.targetType as TargetType, value: pending.target },
        state: 'pending',
        reference: pending.reference,
        message: pending.lastMessage,
        startedAt: pending.startedAt,
        updatedAt: deps.now(),
      };
    },

    recent() {
      return [...operations.values()].sort((a, b) => b.startedAt - a.startedAt);
    },

    async cancel(operationId) {
      const op = await service.status(operationId);
      if (!op) return undefined;
      if (op.state === 'running') {
        controllers.get(operationId)?.abort();
        return operations.get(operationId);
      }
      if (op.state === 'pending') {
        const stopped = await deps.poller.forget(
          operationId,
          'The analyst stopped following this action; the vendor may still complete it — check the console.',
        );
        if (stopped) {
          inFlight.delete(dedupeKey(op.instanceId, op.action, op.target));
          return update(op, {
            state: 'cancelled',
            message: 'Stopped following; the vendor may still complete it — check the console.',
          });
        }
      }
      return op;
    },

    async undo(operationId) {
      const op = await service.status(operationId);
      if (!op) return { ok: false, error: 'Unknown action.' };
      if (op.state !== 'done') return { ok: false, error: 'Only a completed action can be undone.' };
      const undo = UNDO_OF[op.action];
      if (!undo) return { ok: false, error: `"${ACTION_LABELS[op.action]}" has no undo.` };
      return service.prepare({
        instanceId: op.instanceId,
        action: undo,
        targets: [op.target],
        note: `Undo of ${operationId}`,
      });
    },

    async testConnection(instance) {
      const connector = connectorById(instance.vendor);
      if (!connector) return { status: 'failed', message: `Unknown connector type "${instance.vendor}".` };
      const result = await deps.executor.testConnection(connector, instance);
      const own = secretValues(connector, instance.settings);
      return { ...result, message: makeRedactor(() => own)(result.message) };
    },

    onPollUpdate(operationId, result) {
      const op = operations.get(operationId);
      if (!op) return;
      const state: OperationState =
        result.status === 'pending' ? 'pending' : result.status === 'done' ? 'done' : 'failed';
      if (state !== 'pending') inFlight.delete(dedupeKey(op.instanceId, op.action, op.target));
      update(op, {
        state,
        reference: result.reference ?? op.reference,
        message: result.message,
        undo: state === 'done' ? undoFor(connectorById(op.vendor), op.action) : undefined,
      });
    },

    async settle() {
      while (running.size > 0) await Promise.all([...running]);
    },

    redact: (text) => redact(text),
  };
  return service;
}
