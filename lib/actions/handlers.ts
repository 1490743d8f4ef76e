/**
 * The background's message handlers over the actions runtime: what the hover card, the side panel and the options
 * page may ask of the response framework. Secrets flow one way: the options page sends them once, they are stored
 * through lib/settings/secrets.ts, and every reply carries only "set / not set". A content script can only propose
 * an action (the panel opens on its confirmation); executing takes `actions.confirm` from an extension page with
 * the id of a prepared confirmation. No browser API is touched here: the entry point passes them in.
 */
import type {
  ActionsEvent,
  AvailableActionReply,
  InstanceForm,
  InstanceView,
  OperationReply,
} from '../messaging/actions-protocol';
import type { Handlers } from '../messaging/router';
import type { Settings } from '../settings/schema';
import {
  deleteSecrets,
  readSecrets,
  type SecretStores,
  secretPresence,
  writeSecrets,
} from '../settings/secrets';
import { type LoadedSettings, type StorageAreaLike, updateSettings } from '../settings/store';
import type { AuditFilter } from './audit';
import { secretValues } from './connector';
import { type GuardrailPolicy, protectedListFrom } from './guardrails';
import { splitSecrets, toActionInstance } from './instances';
import { availableActions, connectorById, connectorCatalog } from './registry';
import type { ActionsRuntime } from './runtime';
import type { OperationStatus, Prepared } from './service';
import { ACTION_KINDS, type ConnectorInstance, OBSERVABLE_TYPES, type TargetType } from './types';

type ActionHandlerNames =
  | 'actions.available'
  | 'actions.menu'
  | 'actions.forCountermeasures'
  | 'actions.propose'
  | 'actions.proposal'
  | 'actions.prepare'
  | 'actions.confirm'
  | 'actions.dismiss'
  | 'actions.status'
  | 'actions.cancel'
  | 'actions.undo'
  | 'actions.audit'
  | 'actions.auditExport'
  | 'connectors.list'
  | 'connectors.save'
  | 'connectors.test'
  | 'connectors.remove';

export type ActionHandlers = Required<Pick<Handlers, ActionHandlerNames>>;

export interface ActionHandlerDeps {
  runtime: Pick<ActionsRuntime, 'service' | 'audit' | 'poller'>;
  /** Settings with the administrator's policy applied (fresh on every call after a change). */
  settings: () => Promise<LoadedSettings>;
  /** `storage.local`, where the analyst's settings layer is written. */
  local: StorageAreaLike;
  secrets: SecretStores;
  /** Opens the side panel on a tab; called first thing in `actions.propose` (the hover card click is the gesture). */
  openPanel: (tabId: number) => Promise<void>;
  /** Tells extension pages (the side panel) that something changed. */
  broadcast: (event: ActionsEvent) => void;
  newId: () => string;
  now: () => number;
}

/** Connector instances with their secrets, narrowed to the actions policy allows. Background only. */
export async function readInstances(
  settings: () => Promise<LoadedSettings>,
  secrets: SecretStores,
): Promise<ConnectorInstance[]> {
  const loaded = await settings();
  const allowed = loaded.settings.actions.allowedActions;
  return Promise.all(
    loaded.settings.actions.connectors.map(async (stored) =>
      toActionInstance(stored, await readSecrets(secrets, stored.id), connectorById(stored.vendor), allowed),
    ),
  );
}

/** The guardrail policy from settings: the protected list (analyst's + policy's, merged) and allowed actions. */
export function guardrailPolicy(settings: Settings): GuardrailPolicy {
  return {
    analyst: protectedListFrom(settings.actions.protected),
    ...(settings.actions.allowedActions ? { allowedActions: settings.actions.allowedActions } : {}),
  };
}

const TARGET_TYPES: readonly TargetType[] = [...OBSERVABLE_TYPES, 'hostname', 'incident'];

/** Every enabled (instance, action) with the target types it accepts, in registry then action order. */
export function actionMenu(instances: readonly ConnectorInstance[]): AvailableActionReply[] {
  const byKey = new Map<string, AvailableActionReply>();
  for (const type of TARGET_TYPES) {
    for (const a of availableActions(instances, type)) {
      const key = `${a.instanceId}\u0000${a.action}`;
      const entry = byKey.get(key) ?? { ...a, targets: [] };
      entry.targets?.push(type);
      byKey.set(key, entry);
    }
  }
  const order = (a: AvailableActionReply) =>
    instances.findIndex((i) => i.id === a.instanceId) * 100 + ACTION_KINDS.indexOf(a.action);
  return [...byKey.values()].sort((a, b) => order(a) - order(b));
}

function stripSecrets(settings: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = structuredClone(settings);
  for (const field of fields) {
    const keys = field.split('.');
    let node: unknown = out;
    for (const key of keys.slice(0, -1))
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[keys.at(-1) as string];
  }
  return out;
}

function hasPath(settings: unknown, field: string): boolean {
  let node = settings;
  for (const key of field.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'string' && node !== '';
}

function toOperationReply(op: OperationStatus): OperationReply {
  return { ...op, target: { ...op.target } };
}

function auditFilename(format: 'csv' | 'json', now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  return `riposte-audit-${stamp}.${format}`;
}

export function createActionHandlers(deps: ActionHandlerDeps): ActionHandlers {
  const { service, audit, poller } = deps.runtime;
  /** Confirmations proposed from a tab's hover card, waiting for the side panel (newest last). */
  const proposals: Array<{ tabId: number; prepared: Prepared; at: number }> = [];

  const instances = () => readInstances(deps.settings, deps.secrets);
  const forgetProposal = (preparedId: string) => {
    const at = proposals.findIndex((p) => p.prepared.id === preparedId);
    if (at >= 0) proposals.splice(at, 1);
  };

  /**
   * An operation the service no longer holds in memory (the worker restarted since): rebuilt from its audit
   * entries, so that a panel following it still sees how it ended.
   */
  async function fromAudit(operationId: string): Promise<OperationStatus | undefined> {
    const entries = await audit.db.entries.where('operationId').equals(operationId).sortBy('time');
    const first = entries.find((e) => e.phase === 'attempt');
    const last = entries.at(-1);
    if (!first || !last) return undefined;
    const state: OperationStatus['state'] =
      last.result === 'done' || last.result === 'failed' || last.result === 'cancelled'
        ? last.result
        : last.result === 'pending'
          ? 'pending'
          : last.result === 'refused'
            ? 'failed'
            : 'running';
    return {
      operationId,
      preparedId: operationId,
      instanceId: first.instanceId,
      instanceLabel: first.instanceLabel,
      vendor: first.vendor,
      action: first.action,
      target: { type: first.targetType as TargetType, value: first.target },
      state,
      ...(last.reference ? { reference: last.reference } : {}),
      message: last.message ?? '',
      startedAt: first.time,
      updatedAt: last.time,
    };
  }

  async function view(
    stored: Settings['actions']['connectors'][number],
    policyIds: readonly string[],
  ): Promise<InstanceView> {
    const connector = connectorById(stored.vendor);
    const fields = connector?.secretFields ?? [];
    const presence = await secretPresence(deps.secrets, stored.id, fields);
    for (const f of fields) if (hasPath(stored.settings, f)) presence[f] = true;
    return {
      id: stored.id,
      vendor: stored.vendor,
      label: stored.label,
      settings: stripSecrets(stored.settings, fields),
      actions: stored.actions,
      sessionOnlySecrets: stored.sessionOnlySecrets,
      secretsSet: presence,
      policy: policyIds.includes(stored.id),
    };
  }

  /** The executable instance a form describes: typed secrets, else the stored ones of the same id. */
  async function instanceFromForm(
    form: InstanceForm,
    /** Runs under this id (a test gets its own, so it never reuses the saved instance's cached token). */
    runAs?: string,
  ): Promise<
    | {
        ok: true;
        instance: ConnectorInstance;
        settings: Record<string, unknown>;
        secrets: Record<string, string>;
      }
    | { ok: false; error: string }
  > {
    const connector = connectorById(form.vendor);
    if (!connector) return { ok: false, error: `Riposte has no connector for "${form.vendor}".` };
    const split = splitSecrets(connector, form.settings);
    const typed: Record<string, string> = { ...split.secrets };
    for (const field of connector.secretFields) {
      const value = form.secrets[field];
      if (typeof value === 'string' && value !== '') typed[field] = value;
    }
    const stored = form.id ? await readSecrets(deps.secrets, form.id) : {};
    const instance = toActionInstance(
      {
        id: runAs ?? form.id ?? 'unsaved',
        vendor: form.vendor,
        label: form.label,
        settings: split.settings,
        actions: form.actions,
      },
      { ...stored, ...typed },
      connector,
      (await deps.settings()).settings.actions.allowedActions,
    );
    const parsed = connector.settingsSchema.safeParse(instance.settings);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'settings';
      return { ok: false, error: `${connector.label}: ${where}: ${issue?.message ?? 'invalid'}.` };
    }
    return { ok: true, instance, settings: split.settings, secrets: typed };
  }

  return {
    async 'actions.available'(request) {
      const list = await service.available({ type: request.target.type, value: request.target.value });
      return { actions: list };
    },

    async 'actions.menu'() {
      return { actions: actionMenu(await instances()) };
    },

    async 'actions.forCountermeasures'(request) {
      const list = await service.forCountermeasures(request.ids);
      const menu = actionMenu(await instances());
      return {
        actions: list.map((a) => ({
          ...a,
          targets: menu.find((m) => m.instanceId === a.instanceId && m.action === a.action)?.targets ?? [],
        })),
      };
    },

    async 'actions.propose'(request, sender) {
      if (sender.kind !== 'content-script') throw new Error('Only the hover card proposes actions.');
      // open first: the click in the hover card is the user gesture, and it does not outlive a slow await
      const opened = deps.openPanel(sender.tabId).catch(() => undefined);
      let pageUrl = sender.url;
      try {
        pageUrl = new URL(sender.url).href;
      } catch {
        pageUrl = '';
      }
      const result = await service.prepare({
        instanceId: request.instanceId,
        action: request.action,
        targets: [request.target],
        ...(pageUrl ? { pageUrl } : {}),
      });
      if (!result.ok) throw new Error(result.error);
      const stale = proposals.findIndex((p) => p.tabId === sender.tabId);
      if (stale >= 0) {
        service.dismiss((proposals[stale] as (typeof proposals)[number]).prepared.id);
        proposals.splice(stale, 1);
      }
      proposals.push({ tabId: sender.tabId, prepared: result.prepared, at: deps.now() });
      if (proposals.length > 20) proposals.shift();
      await opened;
      deps.broadcast({ type: 'actions.event.proposal', tabId: sender.tabId });
      return { ok: true };
    },

    async 'actions.proposal'(request) {
      // not taken: the real side panel and a panel opened in a tab may both show it; confirming or dismissing
      // it (from either) removes it
      const live = proposals.filter((p) => p.prepared.expiresAt > deps.now());
      const found =
        request.tabId === undefined ? live.at(-1) : live.findLast((p) => p.tabId === request.tabId);
      return { prepared: found ? found.prepared : null };
    },

    async 'actions.prepare'(request) {
      const result = await service.prepare({
        instanceId: request.instanceId,
        action: request.action,
        targets: request.targets,
        ...(request.note ? { note: request.note } : {}),
        ...(request.pageUrl ? { pageUrl: request.pageUrl } : {}),
        ...(request.playbook ? { playbook: request.playbook } : {}),
      });
      if (!result.ok) throw new Error(result.error);
      return { prepared: result.prepared };
    },

    async 'actions.confirm'(request, sender) {
      if (sender.kind !== 'extension-page')
        throw new Error('Only Riposte’s side panel can confirm an action.');
      const result = await service.confirm(request.preparedId, request.typed);
      if (!result.ok) throw new Error(result.error);
      forgetProposal(request.preparedId);
      return { operations: result.operations.map(toOperationReply) };
    },

    async 'actions.dismiss'(request) {
      service.dismiss(request.preparedId);
      forgetProposal(request.preparedId);
      return { ok: true };
    },

    async 'actions.status'(request) {
      if (request.operationIds) {
        const found = await Promise.all(
          request.operationIds.map(async (id) => (await service.status(id)) ?? (await fromAudit(id))),
        );
        return {
          operations: found.filter((o): o is OperationStatus => o !== undefined).map(toOperationReply),
        };
      }
      const recent = service.recent();
      const known = new Set(recent.map((o) => o.operationId));
      const pending = await poller.list();
      const restored = await Promise.all(
        pending.filter((p) => !known.has(p.operationId)).map((p) => service.status(p.operationId)),
      );
      return {
        operations: [...recent, ...restored.filter((o): o is OperationStatus => o !== undefined)].map(
          toOperationReply,
        ),
      };
    },

    async 'actions.cancel'(request) {
      const op = await service.cancel(request.operationId);
      return { operation: op ? toOperationReply(op) : null };
    },

    async 'actions.undo'(request) {
      const result = await service.undo(request.operationId);
      if (!result.ok) throw new Error(result.error);
      return { prepared: result.prepared };
    },

    async 'actions.audit'(request) {
      return { entries: await audit.list(request.filter as AuditFilter) };
    },

    async 'actions.auditExport'(request) {
      await instances(); // refresh the redactor's list of secrets
      const filter = request.filter as AuditFilter;
      const raw = request.format === 'csv' ? await audit.exportCsv(filter) : await audit.exportJson(filter);
      return {
        text: service.redact(raw),
        filename: auditFilename(request.format, deps.now()),
        mime: request.format === 'csv' ? 'text/csv' : 'application/json',
      };
    },

    async 'connectors.list'() {
      const loaded = await deps.settings();
      const views = await Promise.all(
        loaded.settings.actions.connectors.map((c) => view(c, loaded.policyConnectors)),
      );
      return {
        catalog: connectorCatalog().map((c) => ({
          ...c,
          docs: [...c.docs],
          secretFields: [...c.secretFields],
          actions: c.actions.map((a) => ({ ...a, targets: [...a.targets] })),
        })),
        instances: views,
        ...(loaded.settings.actions.allowedActions
          ? { allowedActions: loaded.settings.actions.allowedActions }
          : {}),
      };
    },

    async 'connectors.save'(request) {
      const form = request.instance;
      const loaded = await deps.settings();
      if (form.id && loaded.policyConnectors.includes(form.id))
        throw new Error('This connector is set by your administrator and cannot be changed here.');
      const built = await instanceFromForm(form);
      if (!built.ok) throw new Error(built.error);
      const id = form.id ?? deps.newId();
      await writeSecrets(deps.secrets, id, built.secrets, form.sessionOnlySecrets);
      const stored = {
        id,
        vendor: form.vendor,
        label: form.label,
        settings: built.settings,
        actions: [...form.actions],
        sessionOnlySecrets: form.sessionOnlySecrets,
      };
      await updateSettings(deps.local, (s) => {
        const at = s.actions.connectors.findIndex((c) => c.id === id);
        if (at >= 0) s.actions.connectors[at] = stored;
        else s.actions.connectors.push(stored);
        return s;
      });
      return { instance: await view(stored, []) };
    },

    async 'connectors.test'(request) {
      const built = await instanceFromForm(request.instance, `test-${deps.newId()}`);
      if (!built.ok) return { ok: false, message: built.error };
      const result = await service.testConnection(built.instance);
      const connector = connectorById(built.instance.vendor);
      let message = result.message;
      for (const secret of connector ? secretValues(connector, built.instance.settings) : [])
        if (secret.length >= 4) message = message.split(secret).join('••••••');
      return { ok: result.status === 'done', message };
    },

    async 'connectors.remove'(request) {
      const loaded = await deps.settings();
      if (loaded.policyConnectors.includes(request.id))
        throw new Error('This connector is set by your administrator and cannot be removed here.');
      await updateSettings(deps.local, (s) => {
        s.actions.connectors = s.actions.connectors.filter((c) => c.id !== request.id);
        return s;
      });
      await deleteSecrets(deps.secrets, request.id);
      return { ok: true };
    },
  };
}
