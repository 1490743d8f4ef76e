/**
 * Where knowledge comes from: the configured URLs (first run, "Update now", the weekly check) or local files (the
 * options page, for air-gapped networks). Both end in the same atomic pipeline (import-knowledge.ts).
 *
 * Functions take the Dexie database and a `fetch`-like function, so the background and the tests call the same code.
 * The weekly check sends `If-None-Match` / `If-Modified-Since` with the validators of the data in use and re-imports
 * only when a source changed: a changed ATT&CK bundle is imported with the D3FEND ontology kept from the data in use
 * (no second download); a changed D3FEND ontology needs the ATT&CK bundles again, so they are downloaded in full.
 * Sources download at the same time; the D3FEND ontology (small) is parsed while the ATT&CK bundle still arrives,
 * and text is decoded chunk by chunk as it arrives.
 */
import type { Settings } from '../settings/schema.ts';

type KnowledgeSettings = Settings['knowledge'];

import { parseD3fendTurtle } from './d3fend.ts';
import {
  type ActiveKnowledge,
  type KnowledgeDatabase,
  META_LAST_ERROR,
  META_PROGRESS,
  META_SOURCE_CHECK,
  type SourceInfo,
} from './db.ts';
import {
  defaultLocks,
  getActiveKnowledge,
  ImportCancelled,
  type ImportOptions,
  type ImportProgress,
  importKnowledge,
  runImport,
  type SourceText,
  withImportLock,
} from './import-knowledge.ts';
import type { Result } from './model.ts';
import { isGzip, readSourceBytes, sniffSourceKind } from './read-source.ts';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface SourceSpec {
  kind: 'attack' | 'd3fend';
  url: string;
  /** For messages: "ATT&CK Enterprise", "D3FEND". */
  label: string;
}

/** The sources the settings ask for, ATT&CK first. */
export function sourcesFromSettings(settings: KnowledgeSettings): SourceSpec[] {
  const specs: SourceSpec[] = [{ kind: 'attack', url: settings.enterpriseUrl, label: 'ATT&CK Enterprise' }];
  if (settings.includeMobile) specs.push({ kind: 'attack', url: settings.mobileUrl, label: 'ATT&CK Mobile' });
  if (settings.includeIcs) specs.push({ kind: 'attack', url: settings.icsUrl, label: 'ATT&CK ICS' });
  if (settings.d3fendUrl) specs.push({ kind: 'd3fend', url: settings.d3fendUrl, label: 'D3FEND' });
  return specs;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type Download =
  | { unchanged: true }
  | ({
      unchanged: false;
      text: string;
      /** Milliseconds spent receiving the bytes, and turning them into text (gunzip, UTF-8). */
      transferMs: number;
      decodeMs: number;
    } & Validators);

/**
 * GET one source with progress. With validators, a 304 answer means unchanged. Errors are sentences naming the
 * source; an abort throws ImportCancelled.
 */
export async function downloadSource(
  fetchFn: FetchLike,
  spec: SourceSpec,
  options: {
    validators?: Validators | null;
    signal?: AbortSignal;
    onBytes?: (loaded: number, total: number | null) => void;
  } = {},
): Promise<Result<Download>> {
  const headers: Record<string, string> = {};
  if (options.validators?.etag) headers['If-None-Match'] = options.validators.etag;
  if (options.validators?.lastModified) headers['If-Modified-Since'] = options.validators.lastModified;
  let response: Response;
  try {
    response = await fetchFn(spec.url, { headers, signal: options.signal, cache: 'no-cache' });
  } catch (error) {
    if (options.signal?.aborted) throw new ImportCancelled();
    return {
      ok: false,
      error: `could not download ${spec.label} from ${spec.url} (${(error as Error).message || 'network error'}); check the network or the URL in the options`,
    };
  }
  if (response.status === 304 && options.validators) return { ok: true, value: { unchanged: true } };
  if (!response.ok) {
    return {
      ok: false,
      error: `${spec.url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${spec.label}`,
    };
  }
  const transferStart = performance.now();
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  // Plain text is decoded chunk by chunk as it arrives, while the network (another process) sends the next one, so
  // the UTF-8 decoding of 33 MB does not come after the download; a gzip file is kept as bytes and gunzipped at
  // the end (read-source.ts).
  const chunks: Uint8Array[] = [];
  const pieces: string[] = [];
  const decoder = new TextDecoder('utf-8');
  let keepBytes: boolean | null = null;
  let decodeMs = 0;
  let loaded = 0;
  try {
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        keepBytes ??= value.length < 2 || isGzip(value);
        if (keepBytes) chunks.push(value);
        else {
          const start = performance.now();
          pieces.push(decoder.decode(value, { stream: true }));
          decodeMs += performance.now() - start;
        }
        loaded += value.length;
        // Content-Length is the compressed size when the server gzips: then the total is unknown.
        options.onBytes?.(loaded, total !== null && loaded <= total ? total : null);
      }
    } else {
      const buffer = new Uint8Array(await response.arrayBuffer());
      chunks.push(buffer);
      loaded = buffer.length;
    }
  } catch (error) {
    if (options.signal?.aborted) throw new ImportCancelled();
    return {
      ok: false,
      error: `the download of ${spec.label} from ${spec.url} broke off after ${loaded} bytes (${(error as Error).message})`,
    };
  }
  const decodeStart = performance.now();
  let text: string;
  if (keepBytes === false) {
    pieces.push(decoder.decode());
    text = pieces.join('');
    pieces.length = 0;
  } else {
    const bytes = chunks.length === 1 && chunks[0] ? chunks[0] : new Uint8Array(loaded);
    if (chunks.length > 1) {
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
    }
    chunks.length = 0;
    const read = await readSourceBytes(bytes, spec.url);
    if (!read.ok) return read;
    text = read.value;
  }
  const end = performance.now();
  decodeMs += end - decodeStart;
  const download: Download = {
    unchanged: false,
    text,
    transferMs: end - transferStart - decodeMs,
    decodeMs,
  };
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) download.etag = etag;
  if (lastModified) download.lastModified = lastModified;
  return { ok: true, value: download };
}

export interface UpdateOptions extends ImportOptions {
  /** Re-import even when every source is unchanged ("Update now"); false for the weekly check. */
  force?: boolean;
}

export type UpdateOutcome =
  | { updated: true; active: ActiveKnowledge }
  | { updated: false; reason: 'unchanged'; active: ActiveKnowledge | null };

function validatorsOf(info: SourceInfo | undefined): Validators | null {
  if (!info || (!info.etag && !info.lastModified)) return null;
  const v: Validators = {};
  if (info.etag) v.etag = info.etag;
  if (info.lastModified) v.lastModified = info.lastModified;
  return v;
}

/**
 * Download the configured sources and import them atomically. Without `force`, sources whose validators say
 * "unchanged" are not imported again. Failures leave the knowledge in use untouched and are stored for the UI.
 */
export async function updateKnowledge(
  db: KnowledgeDatabase,
  fetchFn: FetchLike,
  specs: readonly SourceSpec[],
  options: UpdateOptions = {},
): Promise<Result<UpdateOutcome>> {
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const outcome = await withImportLock(locks, () => runUpdate(db, fetchFn, specs, options));
  if (outcome === null) {
    return { ok: false, error: 'Another knowledge import is already running; wait for it to finish.' };
  }
  return outcome;
}

async function runUpdate(
  db: KnowledgeDatabase,
  fetchFn: FetchLike,
  specs: readonly SourceSpec[],
  options: UpdateOptions,
): Promise<Result<UpdateOutcome>> {
  const startedAt = new Date().toISOString();
  const fail = async (message: string): Promise<Result<UpdateOutcome>> => {
    const error = message.startsWith('Import cancelled')
      ? message
      : `Update failed: ${message}. The previous knowledge is still in use.`;
    await db.meta.delete(META_PROGRESS);
    await db.meta.put({ key: META_LAST_ERROR, value: { message: error, at: new Date().toISOString() } });
    return { ok: false, error };
  };
  const attackSpecs = specs.filter((s) => s.kind === 'attack');
  if (attackSpecs.length === 0) return fail('no ATT&CK source is configured');
  const d3fendSpec = specs.find((s) => s.kind === 'd3fend');

  let lastPersist = 0;
  const report = (progress: ImportProgress, persist: boolean) => {
    options.onProgress?.(progress);
    const now = Date.now();
    if (persist || now - lastPersist > 250) {
      lastPersist = now;
      void db.meta.put({ key: META_PROGRESS, value: progress });
    }
  };

  try {
    await db.open();
    const active = await getActiveKnowledge(db);
    const previous = new Map((active?.sources ?? []).map((s) => [s.origin, s]));
    const conditional = !options.force && active !== null;
    // A different set of sources than the data in use is a change by itself.
    const sameSources =
      active !== null &&
      specs.length === active.sources.length &&
      specs.every((s) => previous.get(s.url)?.kind === s.kind);

    const texts = new Map<SourceSpec, SourceText>();
    const unchanged = new Set<SourceSpec>();
    const stages: Record<string, number> = {};
    const addStage = (stage: string, ms: number) => {
      stages[stage] = Math.round(((stages[stage] ?? 0) + ms) * 10) / 10;
    };
    // Sources download at the same time; each one's share of the progress bar fills as its bytes arrive.
    const done = new Map<SourceSpec, number>();
    let downloading = 0;
    const download = async (spec: SourceSpec, validators: Validators | null) => {
      done.set(spec, 0);
      downloading++;
      try {
        return await downloadOne(spec, validators);
      } finally {
        downloading--;
      }
    };
    const downloadOne = async (spec: SourceSpec, validators: Validators | null) => {
      const fraction = () => (0.4 * [...done.values()].reduce((a, b) => a + b, 0)) / specs.length;
      report(
        { phase: 'download', fraction: fraction(), message: `Downloading ${spec.label}`, startedAt },
        true,
      );
      const result = await downloadSource(fetchFn, spec, {
        validators,
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (loaded, total) => {
          done.set(spec, total ? loaded / total : 0.5);
          report(
            {
              phase: 'download',
              fraction: fraction(),
              message: `Downloading ${spec.label}: ${(loaded / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`,
              startedAt,
            },
            false,
          );
        },
      });
      done.set(spec, 1);
      if (!result.ok) return result;
      if (result.value.unchanged) {
        unchanged.add(spec);
        return result;
      }
      addStage('transfer', result.value.transferMs);
      addStage('decode', result.value.decodeMs);
      const text: SourceText = { kind: spec.kind, origin: spec.url, text: result.value.text };
      if (result.value.etag) text.etag = result.value.etag;
      if (result.value.lastModified) text.lastModified = result.value.lastModified;
      const sniffed = sniffSourceKind(text.text);
      if (sniffed !== spec.kind) {
        return {
          ok: false as const,
          error:
            spec.kind === 'attack'
              ? `${spec.url} is not JSON (expected the ${spec.label} STIX bundle)`
              : `${spec.url} is not a Turtle document (expected the D3FEND ontology)`,
        };
      }
      texts.set(spec, text);
      if (spec.kind === 'd3fend' && downloading > 1) {
        // Parse the ontology now: the ATT&CK bundle is still arriving (the network runs in another process).
        const start = performance.now();
        text.parsedD3fend = parseD3fendTurtle(text.text);
        addStage('parseD3fend (while downloading)', performance.now() - start);
      }
      return result;
    };
    /** Download these sources at once; the first failure (in the order given) or null. */
    const downloadAll = async (todo: readonly [SourceSpec, Validators | null][]) => {
      const start = performance.now();
      const settled = await Promise.allSettled(todo.map(([spec, validators]) => download(spec, validators)));
      addStage('download', performance.now() - start);
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
      for (const outcome of settled)
        if (outcome.status === 'fulfilled' && !outcome.value.ok) return outcome.value.error;
      return null;
    };

    const failure = await downloadAll(
      specs.map((spec) => [spec, conditional && sameSources ? validatorsOf(previous.get(spec.url)) : null]),
    );
    if (failure !== null) return fail(failure);
    if (conditional && sameSources && unchanged.size === specs.length && active) {
      await db.meta.delete(META_PROGRESS);
      await db.meta.put({ key: META_SOURCE_CHECK, value: { at: new Date().toISOString(), changed: false } });
      return { ok: true, value: { updated: false, reason: 'unchanged', active } };
    }
    // Something changed. Unchanged ATT&CK bundles are needed again in full; an unchanged D3FEND is kept.
    const again = await downloadAll(
      specs.filter((spec) => unchanged.has(spec) && spec.kind === 'attack').map((spec) => [spec, null]),
    );
    if (again !== null) return fail(again);
    const sources = specs.flatMap((s) => {
      const text = texts.get(s);
      return text ? [text] : [];
    });
    const imported = await runImport(db, sources, {
      ...options,
      startedAt,
      keepD3fend: d3fendSpec !== undefined,
      stages,
      onProgress: (p) => options.onProgress?.(p),
    });
    if (!imported.ok) return { ok: false, error: imported.error };
    await db.meta.put({ key: META_SOURCE_CHECK, value: { at: new Date().toISOString(), changed: true } });
    return { ok: true, value: { updated: true, active: imported.value.active } };
  } catch (error) {
    if (error instanceof ImportCancelled) return fail(error.message);
    return fail((error as Error).message);
  }
}

export interface LocalFile {
  name: string;
  data: ArrayBuffer | Uint8Array | Blob;
}

/**
 * Import local files (drag and drop in the options page; air-gapped networks): ATT&CK bundles (`.json`, `.json.gz`,
 * STIX 2.0 or 2.1) and optionally the D3FEND ontology (`.ttl`, `.ttl.gz`); which is which is read from the content.
 * Without a D3FEND file the D3FEND of the knowledge in use is kept.
 */
export async function importLocalFiles(
  db: KnowledgeDatabase,
  files: readonly LocalFile[],
  options: ImportOptions = {},
): Promise<Result<{ active: ActiveKnowledge }>> {
  const sources: SourceText[] = [];
  let error: string | null = null;
  for (const file of files) {
    const data = file.data instanceof Blob ? await file.data.arrayBuffer() : file.data;
    const text = await readSourceBytes(data, file.name);
    if (!text.ok) {
      error = text.error;
      break;
    }
    const kind = sniffSourceKind(text.value);
    if (!kind) {
      error = `${file.name} is neither an ATT&CK STIX bundle (JSON) nor the D3FEND ontology (Turtle)`;
      break;
    }
    sources.push({ kind, origin: `file:${file.name}`, text: text.value });
  }
  if (!error && sources.filter((s) => s.kind === 'd3fend').length > 1) {
    error = 'more than one D3FEND ontology was given; import one';
  }
  if (error) {
    const message = `Import failed: ${error}. The previous knowledge is still in use.`;
    await db.meta.put({ key: META_LAST_ERROR, value: { message, at: new Date().toISOString() } });
    return { ok: false, error: message };
  }
  // ATT&CK first, so the source list reads in a stable order.
  sources.sort((a, b) => Number(a.kind === 'd3fend') - Number(b.kind === 'd3fend'));
  return importKnowledge(db, sources, options);
}
