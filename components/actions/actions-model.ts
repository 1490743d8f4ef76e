/**
 * The side panel's response-actions state: the confirmation on screen, the operations being followed (live), the
 * "Apply" picker of a technique card's countermeasure, and the audit log view. Messaging is injected (`send`,
 * `subscribe`), so the model is tested without a browser; components only render its signals.
 */
import { type Signal, signal } from '@preact/signals';
import type {
  ActionsEvent,
  AuditEntryReply,
  AuditFilterRequest,
  AvailableActionReply,
  OperationReply,
  PreparedReply,
} from '../../lib/messaging/actions-protocol';
import type { ReplyOf, Request } from '../../lib/messaging/protocol';
import type { CountedIndicator } from '../../lib/messaging/schemas';

export type Send = <R extends Request>(request: R) => Promise<ReplyOf<R['type']>>;

export interface ActionsModelDeps {
  send: Send;
  /** Registers a listener for the background's broadcasts (already parsed). */
  subscribe: (listener: (event: ActionsEvent) => void) => void;
  tabId: () => number | undefined;
  pageUrl: () => string | undefined;
  indicators: () => readonly CountedIndicator[];
  download: (filename: string, mime: string, text: string) => void;
  /** Fallback polling while something is running or pending (the broadcast may be missed). */
  every?: (ms: number, fn: () => void) => void;
}

export interface ApplyTarget {
  type: AvailableActionReply['targets'] extends (infer T)[] | undefined ? T : never;
  value: string;
  scope?: CountedIndicator['scope'];
}

export interface ApplyState {
  action: AvailableActionReply;
  candidates: ApplyTarget[];
  selected: string[];
}

export interface ActionsModel {
  confirmation: Signal<PreparedReply | undefined>;
  /** Step 2 of a high-impact or bulk confirmation is showing. */
  secondStep: Signal<boolean>;
  busy: Signal<boolean>;
  error: Signal<string | undefined>;
  operations: Signal<OperationReply[]>;
  menu: Signal<AvailableActionReply[]>;
  apply: Signal<ApplyState | undefined>;
  auditOpen: Signal<boolean>;
  audit: Signal<AuditEntryReply[]>;
  auditFilter: Signal<AuditFilterRequest>;
  auditMessage: Signal<string | undefined>;
  loadMenu(): Promise<void>;
  checkProposal(): Promise<void>;
  prepare(action: AvailableActionReply, targets: ApplyTarget[]): Promise<void>;
  confirm(typed?: string): Promise<void>;
  dismiss(): void;
  cancel(operationId: string): Promise<void>;
  undo(operationId: string): Promise<void>;
  refresh(): Promise<void>;
  /** Actions of the configured connectors that carry out this D3FEND countermeasure. */
  forCountermeasure(id: string): AvailableActionReply[];
  startApply(action: AvailableActionReply): void;
  toggleApply(key: string): void;
  closeApply(): void;
  openAudit(): Promise<void>;
  closeAudit(): void;
  loadAudit(filter?: AuditFilterRequest): Promise<void>;
  exportAudit(format: 'csv' | 'json'): Promise<void>;
}

const FINAL = new Set(['done', 'failed', 'cancelled']);

export function targetKey(t: { type: string; value: string }): string {
  return `${t.type}:${t.value}`;
}

/**
 * The page's indicators an action can take. Isolation takes host names: a domain on the page may be one (a host's
 * FQDN in an EDR console), so domains are offered as host names. Blocks skip non-public addresses.
 */
export function candidatesFor(
  action: AvailableActionReply,
  indicators: readonly CountedIndicator[],
): ApplyTarget[] {
  const targets = new Set<string>(action.targets ?? []);
  const out: ApplyTarget[] = [];
  for (const i of indicators) {
    if (i.scope && i.scope !== 'public' && action.action.startsWith('block')) continue;
    if (targets.has(i.type))
      out.push({ type: i.type, value: i.value, ...(i.scope ? { scope: i.scope } : {}) });
    else if (i.type === 'domain' && targets.has('hostname')) out.push({ type: 'hostname', value: i.value });
  }
  return out;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createActionsModel(deps: ActionsModelDeps): ActionsModel {
  const confirmation = signal<PreparedReply | undefined>(undefined);
  const secondStep = signal(false);
  const busy = signal(false);
  const error = signal<string | undefined>(undefined);
  const operations = signal<OperationReply[]>([]);
  const menu = signal<AvailableActionReply[]>([]);
  const apply = signal<ApplyState | undefined>(undefined);
  const auditOpen = signal(false);
  const audit = signal<AuditEntryReply[]>([]);
  const auditFilter = signal<AuditFilterRequest>({});
  const auditMessage = signal<string | undefined>(undefined);

  const upsert = (ops: readonly OperationReply[]) => {
    const next = [...operations.peek()];
    for (const op of ops) {
      const at = next.findIndex((o) => o.operationId === op.operationId);
      if (at >= 0) next[at] = op;
      else next.unshift(op);
    }
    operations.value = next;
  };

  const show = (prepared: PreparedReply) => {
    confirmation.value = prepared;
    secondStep.value = false;
    error.value = undefined;
    apply.value = undefined;
    auditOpen.value = false;
  };

  const model: ActionsModel = {
    confirmation,
    secondStep,
    busy,
    error,
    operations,
    menu,
    apply,
    auditOpen,
    audit,
    auditFilter,
    auditMessage,

    async loadMenu() {
      try {
        menu.value = (await deps.send({ type: 'actions.menu' })).actions;
      } catch {
        menu.value = [];
      }
    },

    async checkProposal() {
      try {
        const tabId = deps.tabId();
        const { prepared } = await deps.send({
          type: 'actions.proposal',
          ...(tabId !== undefined ? { tabId } : {}),
        });
        if (prepared && prepared.id !== confirmation.peek()?.id) show(prepared);
      } catch (e) {
        error.value = message(e);
      }
    },

    async prepare(action, targets) {
      busy.value = true;
      try {
        const pageUrl = deps.pageUrl();
        const { prepared } = await deps.send({
          type: 'actions.prepare',
          instanceId: action.instanceId,
          action: action.action,
          targets: targets.map((t) => ({
            type: t.type,
            value: t.value,
            ...(t.scope ? { scope: t.scope } : {}),
          })),
          ...(pageUrl ? { pageUrl } : {}),
        });
        show(prepared);
      } catch (e) {
        error.value = message(e);
      } finally {
        busy.value = false;
      }
    },

    async confirm(typed) {
      const prepared = confirmation.peek();
      if (!prepared) return;
      if (prepared.secondConfirmation && !secondStep.peek()) {
        secondStep.value = true;
        return;
      }
      busy.value = true;
      try {
        const { operations: ops } = await deps.send({
          type: 'actions.confirm',
          preparedId: prepared.id,
          ...(typed !== undefined ? { typed } : {}),
        });
        upsert(ops);
        confirmation.value = undefined;
        secondStep.value = false;
        error.value = undefined;
      } catch (e) {
        error.value = message(e);
      } finally {
        busy.value = false;
      }
    },

    dismiss() {
      const prepared = confirmation.peek();
      confirmation.value = undefined;
      secondStep.value = false;
      error.value = undefined;
      if (prepared)
        void deps.send({ type: 'actions.dismiss', preparedId: prepared.id }).catch(() => undefined);
    },

    async cancel(operationId) {
      try {
        const { operation } = await deps.send({ type: 'actions.cancel', operationId });
        if (operation) upsert([operation]);
      } catch (e) {
        error.value = message(e);
      }
    },

    async undo(operationId) {
      try {
        const { prepared } = await deps.send({ type: 'actions.undo', operationId });
        show(prepared);
      } catch (e) {
        error.value = message(e);
      }
    },

    async refresh() {
      const open = operations.peek().filter((o) => !FINAL.has(o.state));
      if (open.length === 0) return;
      try {
        const { operations: ops } = await deps.send({
          type: 'actions.status',
          operationIds: open.map((o) => o.operationId),
        });
        upsert(ops);
      } catch {
        // the next tick tries again
      }
    },

    forCountermeasure(id) {
      return menu.value.filter((a) => a.countermeasures.some((c) => c.id === id));
    },

    startApply(action) {
      const candidates = candidatesFor(action, deps.indicators());
      apply.value = { action, candidates, selected: candidates.map(targetKey) };
      confirmation.value = undefined;
      auditOpen.value = false;
      error.value = undefined;
    },

    toggleApply(key) {
      const state = apply.peek();
      if (!state) return;
      const on = state.selected.includes(key);
      apply.value = {
        ...state,
        selected: on ? state.selected.filter((k) => k !== key) : [...state.selected, key],
      };
    },

    closeApply() {
      apply.value = undefined;
    },

    async openAudit() {
      auditOpen.value = true;
      confirmation.value = confirmation.peek();
      await model.loadAudit();
    },

    closeAudit() {
      auditOpen.value = false;
    },

    async loadAudit(filter) {
      if (filter) auditFilter.value = filter;
      try {
        audit.value = (await deps.send({ type: 'actions.audit', filter: auditFilter.peek() })).entries;
        auditMessage.value = undefined;
      } catch (e) {
        auditMessage.value = message(e);
      }
    },

    async exportAudit(format) {
      try {
        const file = await deps.send({ type: 'actions.auditExport', format, filter: auditFilter.peek() });
        deps.download(file.filename, file.mime, file.text);
        auditMessage.value = `Exported ${file.filename}.`;
      } catch (e) {
        auditMessage.value = `Export failed: ${message(e)}`;
      }
    },
  };

  deps.subscribe((event) => {
    if (event.type === 'actions.event.status') {
      if (operations.peek().some((o) => o.operationId === event.operation.operationId))
        upsert([event.operation]);
      if (auditOpen.peek()) void model.loadAudit();
    } else if (event.tabId === undefined || event.tabId === deps.tabId()) void model.checkProposal();
  });
  deps.every?.(1500, () => void model.refresh());
  return model;
}
