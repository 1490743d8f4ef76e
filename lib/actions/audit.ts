/**
 * The response audit log and the pending-operation table, in the actions' own IndexedDB database
 * (`riposte-audit`, background only). Versions are append-only: add `version(2)` with an upgrade, never edit
 * `version(1)`. Both tables live in one database so that finishing a pending operation and auditing its outcome
 * happen in one transaction (an operation is audited exactly once, even across service-worker restarts).
 * Every string is scrubbed of the configured secrets before it is stored.
 */
import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { ActionKind, PollHandle } from './types';

export const AUDIT_DB_NAME = 'riposte-audit';

export type AuditResult = 'requested' | 'pending' | 'done' | 'failed' | 'refused' | 'cancelled';

export interface AuditEntry {
  id?: number;
  /** Epoch milliseconds. */
  time: number;
  operationId: string;
  /**
   * `attempt`: the analyst confirmed (or was refused) and Riposte is about to call; `progress`: the vendor accepted
   * an asynchronous action that is still running; `outcome`: the final result, recorded exactly once.
   */
  phase: 'attempt' | 'progress' | 'outcome';
  instanceId: string;
  instanceLabel: string;
  vendor: string;
  action: ActionKind;
  targetType: string;
  target: string;
  pageUrl?: string;
  note?: string;
  result: AuditResult;
  reference?: string;
  /** The outcome message or the error, as the analyst saw it. */
  message?: string;
}

export interface PendingOperation {
  operationId: string;
  instanceId: string;
  instanceLabel: string;
  vendor: string;
  action: ActionKind;
  targetType: string;
  target: string;
  pageUrl?: string;
  reference?: string;
  handle: PollHandle;
  startedAt: number;
  nextPollAt: number;
  polls: number;
  /** After this time the operation is reported as failed ("still pending"). */
  deadline: number;
  lastMessage: string;
}

export class ActionsDatabase extends Dexie {
  entries!: Table<AuditEntry, number>;
  pending!: Table<PendingOperation, string>;

  constructor(options?: DexieOptions) {
    super(AUDIT_DB_NAME, options);
    this.version(1).stores({
      entries: '++id, time, operationId, instanceId, action, result',
      pending: 'operationId, nextPollAt',
    });
  }
}

export interface AuditFilter {
  from?: number;
  to?: number;
  instanceId?: string;
  action?: ActionKind;
  result?: AuditResult;
  /** Case-insensitive substring of target, reference, message or page URL. */
  text?: string;
  limit?: number;
}

/** Replaces every occurrence of a secret (4+ characters) with a mask. */
export function makeRedactor(secrets: () => readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const secret of secrets()) {
      if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('••••••');
    }
    return out;
  };
}

function scrub<T extends object>(value: T, redact: (s: string) => string): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out as T;
}

export const AUDIT_COLUMNS = [
  'time',
  'operationId',
  'phase',
  'instanceLabel',
  'vendor',
  'action',
  'targetType',
  'target',
  'pageUrl',
  'result',
  'reference',
  'message',
  'note',
] as const;

function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  // a cell starting with = + - @ (or a tab / CR) would be run as a formula by spreadsheet software
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export class AuditLog {
  constructor(
    readonly db: ActionsDatabase,
    private readonly redact: (text: string) => string = (t) => t,
  ) {}

  async record(entry: Omit<AuditEntry, 'id'>): Promise<number> {
    return this.db.entries.add(scrub(entry, this.redact));
  }

  /**
   * Finishes a pending operation: removes it and records its outcome in one transaction.
   * Returns false (and records nothing) when another poll already finished it.
   */
  async completePending(operationId: string, outcome: Omit<AuditEntry, 'id'>): Promise<boolean> {
    const clean = scrub(outcome, this.redact);
    return this.db.transaction('rw', this.db.pending, this.db.entries, async () => {
      const existing = await this.db.pending.get(operationId);
      if (!existing) return false;
      await this.db.pending.delete(operationId);
      await this.db.entries.add(clean);
      return true;
    });
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const from = filter.from ?? 0;
    const to = filter.to ?? Number.MAX_SAFE_INTEGER;
    const needle = filter.text?.toLowerCase();
    const rows = await this.db.entries
      .where('time')
      .between(from, to, true, true)
      .reverse()
      .filter(
        (e) =>
          (!filter.instanceId || e.instanceId === filter.instanceId) &&
          (!filter.action || e.action === filter.action) &&
          (!filter.result || e.result === filter.result) &&
          (!needle ||
            [e.target, e.reference, e.message, e.pageUrl, e.instanceLabel].some((f) =>
              f?.toLowerCase().includes(needle),
            )),
      )
      .limit(filter.limit ?? 10_000)
      .toArray();
    return rows;
  }

  async exportJson(filter: AuditFilter = {}): Promise<string> {
    const rows = await this.list(filter);
    return JSON.stringify(
      rows.map((r) => ({ ...r, time: new Date(r.time).toISOString() })),
      null,
      2,
    );
  }

  async exportCsv(filter: AuditFilter = {}): Promise<string> {
    const rows = await this.list(filter);
    const lines = [AUDIT_COLUMNS.join(',')];
    for (const r of rows) {
      lines.push(
        AUDIT_COLUMNS.map((c) => csvCell(c === 'time' ? new Date(r.time).toISOString() : r[c])).join(','),
      );
    }
    return `${lines.join('\r\n')}\r\n`;
  }

  /** Deletes entries older than `retentionDays`; returns how many went. */
  async purge(retentionDays: number, now: number): Promise<number> {
    const cutoff = now - retentionDays * 86_400_000;
    return this.db.entries.where('time').below(cutoff).delete();
  }
}
