/**
 * The atomic import pipeline: source texts -> parsed data -> precomputed rows -> a new generation written aside ->
 * one small transaction that makes it the active one -> garbage collection of the others.
 *
 * Why this survives the MV3 service-worker lifecycle: the import runs where it was started (the background for
 * downloads and the weekly update; the options page for local files, since a `File` cannot cross
 * `runtime.sendMessage`), in short transactions of a few dozen 60 KB card shards (card-shards.ts). Nothing the queries read changes until the
 * commit transaction flips `meta['active']`; if the worker is stopped at any moment before that (Chrome kills idle
 * workers after 30 s, and any worker after 5 min of one event), the previous generation is untouched and still in
 * use, and the half-written generation is garbage that `recoverInterruptedImport` (called when the worker starts)
 * and every later import delete, recording a message for the UI. While an import runs, the caller's `keepAlive`
 * (in the background: an extension API call every 20 s, which resets Chrome's idle timer) is invoked, so a normal
 * import (seconds) is not cut short. An offscreen document was the alternative; it is Chrome-only (Firefox has no
 * offscreen API) and moving a 33 MB string between contexts costs as much as parsing it, so the import stays in
 * one context and relies on the generation swap as its commit point instead.
 *
 * The import times its stages (`ActiveKnowledge.stages`, with the caller's download stages) for the benchmark.
 *
 * Only one import runs at a time per profile: a Web Lock (`navigator.locks`) where available, an in-process flag
 * otherwise (Node tests).
 */

import { CARD_INDEX_KEY, CardShardWriter } from './card-shards.ts';
import type { D3fendData } from './d3fend.ts';
import { parseD3fendTurtle } from './d3fend.ts';
import {
  type ActiveKnowledge,
  type BlobRow,
  IDS_KEY,
  KNOWLEDGE_CHANNEL,
  type KnowledgeDatabase,
  META_ACTIVE,
  META_LAST_ERROR,
  META_PROGRESS,
  type SourceInfo,
} from './db.ts';
import { buildKnowledgeIndex, type KnowledgeIndex } from './knowledge-index.ts';
import { mergeAttackData } from './merge.ts';
import type { AttackData, Result } from './model.ts';
import { cardContext, cardRows, countsOf, idRows } from './snapshot.ts';
import { parseStixBundle } from './stix.ts';

/** A source already read into text (downloaded or from a file). */
export interface SourceText {
  kind: 'attack' | 'd3fend';
  origin: string;
  text: string;
  etag?: string;
  lastModified?: string;
  /**
   * For D3FEND: the text already parsed (the update parses the ontology while the ATT&CK bundle is still
   * downloading); the import parses it otherwise.
   */
  parsedD3fend?: Result<D3fendData>;
}

export type ImportPhase = 'download' | 'parse' | 'build' | 'write' | 'commit' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  /** Overall progress, 0..1. */
  fraction: number;
  message: string;
  startedAt: string;
}

export interface LastError {
  message: string;
  at: string;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Called every `keepAliveMs` while the import runs (the background passes an extension API call). */
  keepAlive?: () => unknown;
  keepAliveMs?: number;
  /** When no D3FEND source is given: keep the D3FEND of the knowledge in use (default true). */
  keepD3fend?: boolean;
  /** Derived documents stored with the generation (e.g. the hints model), computed from the parsed data. */
  derive?: (parsed: {
    attack: AttackData;
    d3fend: D3fendData | null;
    index: KnowledgeIndex;
  }) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Rows per write transaction. */
  chunkSize?: number;
  /** Test hook: awaited after each written chunk (lets a test stop an import half-way, as a killed worker would). */
  afterChunk?: (written: number, total: number) => unknown;
  /** Web Locks implementation; defaults to `navigator.locks` when present. */
  locks?: LockManagerLike | null;
  /** When the import started, if the caller already spent time (downloading) before calling. */
  startedAt?: string;
  /** Stages the caller already timed (the download), in ms; the import adds its own and stores them all. */
  stages?: Record<string, number>;
}

export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

export const IMPORT_LOCK = 'riposte-knowledge-import';
const CANCELLED = 'Import cancelled; the previous knowledge is still in use.';

export class ImportCancelled extends Error {
  constructor() {
    super(CANCELLED);
    this.name = 'ImportCancelled';
  }
}

export function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

let inProcessImport = false;

/** Run `fn` holding the import lock; `null` when another import holds it. */
export async function withImportLock<T>(
  locks: LockManagerLike | null,
  fn: () => Promise<T>,
): Promise<T | null> {
  if (locks) {
    return locks.request(IMPORT_LOCK, { ifAvailable: true }, async (lock) => (lock ? fn() : null));
  }
  if (inProcessImport) return null;
  inProcessImport = true;
  try {
    return await fn();
  } finally {
    inProcessImport = false;
  }
}

/** Is an import running (in this context or, with Web Locks, in any context of the extension)? */
export async function isImportRunning(locks: LockManagerLike | null = defaultLocks()): Promise<boolean> {
  if (!locks) return inProcessImport;
  const free = await locks.request(IMPORT_LOCK, { ifAvailable: true }, async (lock) => lock !== null);
  return !free;
}

export async function getActiveKnowledge(db: KnowledgeDatabase): Promise<ActiveKnowledge | null> {
  const row = await db.meta.get(META_ACTIVE);
  return (row?.value as ActiveKnowledge | undefined) ?? null;
}

async function setLastError(db: KnowledgeDatabase, message: string | null): Promise<void> {
  if (message === null) await db.meta.delete(META_LAST_ERROR);
  else
    await db.meta.put({
      key: META_LAST_ERROR,
      value: { message, at: new Date().toISOString() } as LastError,
    });
}

/** Delete every generation other than the active one (half-written or replaced ones). */
export async function collectGarbage(db: KnowledgeDatabase): Promise<number> {
  const active = await getActiveKnowledge(db);
  const keep = active?.generation;
  const stale = (await db.generations.toCollection().primaryKeys()).filter((g) => g !== keep);
  for (const generation of stale) {
    await db.cards.where('generation').equals(generation).delete();
    await db.ids.where('generation').equals(generation).delete();
    await db.blobs.where('generation').equals(generation).delete();
    await db.generations.delete(generation);
  }
  return stale.length;
}

/**
 * Called when the background starts: a generation still `building` while no import holds the lock was cut short
 * (the worker was stopped, the browser closed). Delete it and tell the analyst.
 */
export async function recoverInterruptedImport(
  db: KnowledgeDatabase,
  locks: LockManagerLike | null = defaultLocks(),
): Promise<boolean> {
  const recovered = await withImportLock(locks, async () => {
    const building = await db.generations.where('state').equals('building').count();
    const progress = await db.meta.get(META_PROGRESS);
    if (building === 0 && !progress) return false;
    await collectGarbage(db);
    await db.meta.delete(META_PROGRESS);
    const active = await getActiveKnowledge(db);
    await setLastError(
      db,
      `The last knowledge import was interrupted before it finished (the browser stopped it). ${
        active ? 'The previous knowledge is still in use. ' : ''
      }Run "Update now" to try again.`,
    );
    return true;
  });
  return recovered === true;
}

function parseSources(
  sources: readonly SourceText[],
  lap: (stage: string) => void,
): Result<{ attack: AttackData[]; d3fend: D3fendData | null }> {
  const attack: AttackData[] = [];
  let d3fend: D3fendData | null = null;
  for (const source of sources) {
    if (source.kind === 'attack') {
      let json: unknown;
      try {
        json = JSON.parse(source.text);
      } catch (error) {
        return { ok: false, error: `${source.origin} is not JSON: ${(error as Error).message}` };
      }
      lap('JSON.parse');
      const parsed = parseStixBundle(json);
      lap('parseStix');
      if (!parsed.ok) return { ok: false, error: `${source.origin}: ${parsed.error}` };
      attack.push(parsed.value);
    } else {
      const parsed = source.parsedD3fend ?? parseD3fendTurtle(source.text);
      lap('parseD3fend');
      if (!parsed.ok) return { ok: false, error: `${source.origin}: ${parsed.error}` };
      d3fend = parsed.value;
    }
  }
  if (attack.length === 0)
    return { ok: false, error: 'no ATT&CK bundle to import (a STIX .json or .json.gz file)' };
  return { ok: true, value: { attack, d3fend } };
}

export interface ImportSummary {
  active: ActiveKnowledge;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Import the given sources atomically. On any failure (bad data, cancellation, a storage error) the previous
 * knowledge stays complete and in use, the half-written generation is deleted, and `meta['lastError']` says why.
 */
export async function importKnowledge(
  db: KnowledgeDatabase,
  sources: readonly SourceText[],
  options: ImportOptions = {},
): Promise<Result<ImportSummary>> {
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const result = await withImportLock(locks, () => runImport(db, sources, options));
  if (result === null) {
    return { ok: false, error: 'Another knowledge import is already running; wait for it to finish.' };
  }
  return result;
}

/** The import itself; call it only while holding the import lock (`withImportLock`). */
export async function runImport(
  db: KnowledgeDatabase,
  sources: readonly SourceText[],
  options: ImportOptions,
): Promise<Result<ImportSummary>> {
  const startedAt = options.startedAt ?? new Date().toISOString();
  const t0 = performance.now();
  const stages: Record<string, number> = { ...options.stages };
  let lapStart = t0;
  /** Adds the time since the previous lap to `stage` (a stage may be entered several times). */
  const lap = (stage: string) => {
    const now = performance.now();
    stages[stage] = Math.round(((stages[stage] ?? 0) + now - lapStart) * 10) / 10;
    lapStart = now;
  };
  const keepAlive = options.keepAlive
    ? setInterval(() => void options.keepAlive?.(), options.keepAliveMs ?? 20_000)
    : undefined;
  let generation: number | undefined;
  const pending: Promise<unknown>[] = [];
  const report = async (phase: ImportPhase, fraction: number, message: string, persist = true) => {
    const progress: ImportProgress = { phase, fraction, message, startedAt };
    options.onProgress?.(progress);
    if (persist) await db.meta.put({ key: META_PROGRESS, value: progress });
  };
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new ImportCancelled();
  };
  try {
    await db.open();
    // Leftovers of an interrupted import are garbage now that we hold the lock.
    await collectGarbage(db);
    checkCancelled();
    await report('parse', 0.05, 'Reading the ATT&CK and D3FEND data');
    await yieldToEventLoop();
    lap('start');
    const parsed = parseSources(sources, lap);
    if (!parsed.ok) throw new ImportFailure(parsed.error);
    checkCancelled();

    const previous = await getActiveKnowledge(db);
    let d3fend = parsed.value.d3fend;
    let d3fendInfo: SourceInfo | undefined;
    if (!d3fend && options.keepD3fend !== false && previous) {
      const kept = await db.blobs.get([previous.generation, 'd3fend']);
      if (kept) {
        d3fend = JSON.parse(kept.json) as D3fendData;
        d3fendInfo = previous.sources.find((s) => s.kind === 'd3fend');
      }
    }

    await report('build', 0.3, 'Building technique cards and countermeasures');
    await yieldToEventLoop();
    lap('other');
    const attack = mergeAttackData(parsed.value.attack);
    const index = buildKnowledgeIndex(attack, d3fend);
    const context = cardContext(index);
    const entries = [...index.entries.values()];
    lap('index');
    checkCancelled();

    generation = await db.generations.add({ state: 'building', startedAt });
    const gen = generation;
    // Writes are issued without waiting for each to finish, so that IndexedDB stores one chunk while the next is
    // being built; every pending write is awaited (or settled, on failure) before the commit or the clean-up.
    const chunkSize = options.chunkSize ?? 250;
    let cardCount = 0;
    let written = 0;
    const total = entries.length * 2;
    const writer = new CardShardWriter(gen);
    await report('write', 0.4, `Building and storing ${entries.length} cards`);
    for (let i = 0; i < entries.length; i += chunkSize) {
      checkCancelled();
      lap('other');
      const rows = cardRows(index, entries.slice(i, i + chunkSize), context);
      lap('cards');
      cardCount += rows.length;
      const shards = writer.add(rows);
      lap('card bytes');
      if (shards.length > 0) pending.push(db.table('cards').bulkAdd(shards));
      lap('card rows');
      written += rows.length;
      await report(
        'write',
        0.4 + 0.5 * (written / total),
        `Storing ${written} of ${entries.length} cards`,
        false,
      );
      await options.afterChunk?.(written, total);
      await yieldToEventLoop();
    }
    pending.push(db.table('cards').bulkAdd(writer.finish()));
    lap('card rows');
    // The id table and the card index are one document each (thousands of tiny rows cost more than their bytes).
    const blobRows: BlobRow[] = [
      { generation: gen, key: IDS_KEY, json: JSON.stringify(idRows(index)) },
      { generation: gen, key: CARD_INDEX_KEY, json: JSON.stringify(writer.index) },
    ];
    lap('id rows');
    const derived = options.derive ? await options.derive({ attack, d3fend, index }) : {};
    lap('derive');
    for (const [key, value] of Object.entries(derived))
      blobRows.push({ generation: gen, key, json: JSON.stringify(value) });
    if (d3fend) blobRows.push({ generation: gen, key: 'd3fend', json: JSON.stringify(d3fend) });
    pending.push(db.blobs.bulkAdd(blobRows));
    lap('blob rows');
    await Promise.all(pending.splice(0));
    lap('writes (wait)');
    await options.afterChunk?.(total, total);
    checkCancelled();
    const counts = countsOf(index, cardCount);

    const attackSources: SourceInfo[] = sources
      .filter((s) => s.kind === 'attack')
      .map((s, i) => {
        const data = parsed.value.attack[i] as AttackData;
        return sourceInfo(s, {
          version: data.source.attackVersion ?? versionFromName(s.origin),
          domains: data.source.domains,
          specVersion: data.source.specVersion,
          dataModified: data.source.lastModified,
        });
      });
    const d3fendSource = sources.find((s) => s.kind === 'd3fend');
    const allSources = [...attackSources];
    if (d3fendSource) allSources.push(sourceInfo(d3fendSource, { version: d3fend?.version ?? null }));
    else if (d3fend && d3fendInfo) allSources.push(d3fendInfo);
    const active: ActiveKnowledge = {
      generation: gen,
      importedAt: new Date().toISOString(),
      sources: allSources,
      counts,
      importMs: Math.round(performance.now() - t0),
      stages,
    };

    // The commit point: one small transaction makes the new generation the one in use.
    lap('other');
    await report('commit', 0.97, 'Switching to the new knowledge');
    await db.transaction('rw', db.meta, db.generations, async () => {
      const row = await db.generations.get(gen);
      if (row?.state !== 'building')
        throw new Error('the new knowledge was deleted while it was being written');
      await db.generations.put({ ...row, id: gen, state: 'complete', finishedAt: active.importedAt });
      await db.meta.put({ key: META_ACTIVE, value: active });
      await db.meta.delete(META_LAST_ERROR);
      await db.meta.delete(META_PROGRESS);
    });
    options.onProgress?.({ phase: 'done', fraction: 1, message: 'Knowledge updated', startedAt });
    announceCommit(gen);
    await collectGarbage(db);
    return { ok: true, value: { active } };
  } catch (error) {
    const message =
      error instanceof ImportCancelled
        ? CANCELLED
        : error instanceof ImportFailure
          ? `Import failed: ${error.message}. The previous knowledge is still in use.`
          : `Import failed: ${(error as Error).message ?? String(error)}. The previous knowledge is still in use.`;
    try {
      // Writes still in flight would land after the clean-up and leave orphans: let them finish first.
      await Promise.allSettled(pending);
      await collectGarbage(db);
      await db.meta.delete(META_PROGRESS);
      await setLastError(db, message);
    } catch {
      // The database itself is failing; the message still reaches the caller.
    }
    return { ok: false, error: message };
  } finally {
    if (keepAlive !== undefined) clearInterval(keepAlive);
  }
}

class ImportFailure extends Error {}

/** Tell queries in every context of the extension (side panel, options, background) that the knowledge changed. */
function announceCommit(generation: number): void {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(KNOWLEDGE_CHANNEL);
  channel.postMessage({ type: 'committed', generation });
  channel.close();
}

/**
 * A STIX 2.0 bundle (mitre/cti) does not state its ATT&CK release; its published file name does
 * (`enterprise-attack-18.1.json`). Used only when the bundle has no `x-mitre-collection` version.
 */
export function versionFromName(origin: string): string | null {
  const name =
    origin
      .replace(/[?#].*$/, '')
      .split(/[/\\]/)
      .filter(Boolean)
      .at(-1) ?? '';
  return /-v?(\d{1,2}\.\d{1,2})\.json(\.gz)?$/i.exec(name)?.[1] ?? null;
}

function sourceInfo(source: SourceText, extra: Partial<SourceInfo> & { version: string | null }): SourceInfo {
  const info: SourceInfo = {
    kind: source.kind,
    origin: source.origin,
    size: source.text.length,
    ...extra,
  };
  if (source.etag) info.etag = source.etag;
  if (source.lastModified) info.lastModified = source.lastModified;
  return info;
}
