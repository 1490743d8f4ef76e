/**
 * The knowledge base's background half: message handlers (`kb.status`, `kb.update`, `kb.cancel`, `kb.lookup`), the
 * start-up recovery of an interrupted import, first-run download and the weekly check. Everything it touches is
 * injected (database, fetch, sources, keep-alive), so tests drive it with fake-indexeddb and a fake fetch, and the
 * entry point only wires browser APIs in.
 *
 * Imports run here, in the service worker, with the generation swap as their commit point (see
 * import-knowledge.ts for why that survives the worker being stopped, and why not an offscreen document).
 */

import type { KnowledgeDatabase } from './db.ts';
import { buildHintsModel, corpusFromAttack } from './hints/index.ts';
import {
  getActiveKnowledge,
  type ImportOptions,
  type LockManagerLike,
  recoverInterruptedImport,
} from './import-knowledge.ts';
import type { Result } from './model.ts';
import { createKnowledgeQueries, type KnowledgeQueries, type KnowledgeStatus } from './queries.ts';
import { type FetchLike, type SourceSpec, type UpdateOutcome, updateKnowledge } from './update-knowledge.ts';

/** The documents derived from each import and stored with it: the hints model (`queries.blob('hints')`). */
export const deriveStoredModels: NonNullable<ImportOptions['derive']> = ({ attack, index }) => ({
  hints: buildHintsModel(corpusFromAttack(attack, index.countermeasures)),
});

/** `kb.lookup` reply entry (the shape of `KnowledgeEntrySchema` in lib/messaging/protocol.ts). */
export interface KnowledgeEntry {
  status: 'current' | 'deprecated' | 'revoked' | 'unknown';
  name?: string;
  replacedBy?: { id: string; name?: string };
}

export interface KnowledgeBackgroundOptions {
  db: KnowledgeDatabase;
  fetch: FetchLike;
  /** The sources the settings ask for (see `sourcesFromSettings`). */
  sources: () => Promise<SourceSpec[]>;
  /** Settings' `knowledge.autoUpdate`: download on first run and check weekly. */
  autoUpdate: () => Promise<boolean>;
  /** Called every 20 s while an import runs: an extension API call, which keeps Chrome's worker alive. */
  keepAlive?: () => unknown;
  locks?: LockManagerLike | null;
}

export const WEEKLY_CHECK_ALARM = 'riposte.knowledge.weekly';
export const WEEKLY_CHECK_MINUTES = 7 * 24 * 60;

export interface KnowledgeBackground {
  queries: KnowledgeQueries;
  handlers: {
    'kb.status': () => Promise<KnowledgeStatus>;
    'kb.update': (request: { force?: boolean; wait?: boolean }) => Promise<UpdateReply>;
    'kb.cancel': () => Promise<{ cancelled: boolean }>;
    'kb.lookup': (request: {
      ids: string[];
    }) => Promise<{ ready: boolean; entries: Record<string, KnowledgeEntry> }>;
  };
  /** At worker start: clean up an interrupted import; on first run (no knowledge yet), start the download. */
  onStartup(): Promise<void>;
  /** The weekly alarm: re-import only when a source changed. */
  weeklyCheck(): Promise<Result<UpdateOutcome> | null>;
  /** The update in progress, if any (for tests and the benchmark). */
  running(): Promise<Result<UpdateOutcome>> | null;
}

export type UpdateReply =
  | { started: true; outcome?: { ok: true; updated: boolean } | { ok: false; error: string } }
  | { started: false; error: string };

export function createKnowledgeBackground(options: KnowledgeBackgroundOptions): KnowledgeBackground {
  const { db } = options;
  const queries = createKnowledgeQueries(db);
  let current: { controller: AbortController; done: Promise<Result<UpdateOutcome>> } | null = null;

  const start = async (force: boolean): Promise<UpdateReply & { done?: Promise<Result<UpdateOutcome>> }> => {
    if (current) return { started: false, error: 'An update is already running.' };
    const specs = await options.sources();
    const controller = new AbortController();
    const updateOptions = {
      force,
      signal: controller.signal,
      derive: deriveStoredModels,
      ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}),
      ...(options.locks !== undefined ? { locks: options.locks } : {}),
    };
    const done = updateKnowledge(db, options.fetch, specs, updateOptions).finally(() => {
      current = null;
      queries.invalidate();
    });
    current = { controller, done };
    return { started: true, done };
  };

  return {
    queries,
    handlers: {
      'kb.status': () => queries.status(),
      'kb.update': async ({ force = true, wait = false }) => {
        const started = await start(force);
        if (!started.started) return { started: false, error: started.error };
        if (!wait || !started.done) return { started: true };
        const outcome = await started.done;
        return {
          started: true,
          outcome: outcome.ok
            ? { ok: true, updated: outcome.value.updated }
            : { ok: false, error: outcome.error },
        };
      },
      'kb.cancel': async () => {
        if (!current) return { cancelled: false };
        current.controller.abort();
        await current.done.catch(() => undefined);
        return { cancelled: true };
      },
      'kb.lookup': async ({ ids }) => {
        const results = await queries.lookup(ids);
        const ready = (await getActiveKnowledge(db)) !== null;
        const replacements = results.flatMap((r) => (r.replacedBy ? [r.replacedBy] : []));
        const names = new Map(
          (replacements.length > 0 ? await queries.lookup(replacements) : []).map((r) => [r.id, r.name]),
        );
        const entries: Record<string, KnowledgeEntry> = {};
        for (const r of results) {
          const entry: KnowledgeEntry = {
            status: r.status === 'known' ? (r.deprecated ? 'deprecated' : 'current') : r.status,
          };
          if (r.name) entry.name = r.name;
          if (r.replacedBy) {
            const name = names.get(r.replacedBy);
            entry.replacedBy = name ? { id: r.replacedBy, name } : { id: r.replacedBy };
          }
          entries[r.id] = entry;
        }
        return { ready, entries };
      },
    },
    async onStartup() {
      await recoverInterruptedImport(db, options.locks === undefined ? undefined : options.locks);
      if ((await getActiveKnowledge(db)) === null && (await options.autoUpdate())) await start(false);
    },
    async weeklyCheck() {
      if (!(await options.autoUpdate())) return null;
      const started = await start(false);
      return started.done ?? null;
    },
    running: () => current?.done ?? null,
  };
}
