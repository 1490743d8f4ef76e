/**
 * The knowledge base's IndexedDB database (`riposte-knowledge`), opened only in the extension's own origin (the
 * background and extension pages; never a content script).
 *
 * Every imported dataset is a *generation*: its rows carry the generation number, and `meta['active']` names the
 * generation in use. An import writes a new generation aside and flips `meta['active']` in one small transaction
 * (the commit point, see import-knowledge.ts); rows of other generations are garbage afterwards.
 *
 * Versions are append-only: never edit a released `version(n)` block, add `version(n+1)` with an upgrade and a
 * test that seeds version n (test/unit/knowledge/db-migration.test.ts).
 * - v1: meta, generations, cards (one precomputed card per id as UTF-8 JSON, split in parts of at most 60 KB;
 *   revoked ids as redirect rows).
 * - v2: `ids` (one compact row per id: name, kind, status, replacement, aliases) for the content script's lookups
 *   and the search index, filled from v1's cards by the upgrade; `blobs` (per-generation documents: the parsed
 *   D3FEND ontology kept for the next import, derived models such as the hints model).
 * - Since the sharded card layout (no schema change): a new generation's `cards` rows are shards of its cards' byte
 *   stream (card-shards.ts) located by `blobs[gen, 'cardIndex']`, and its id table is `blobs[gen, 'ids']` instead of
 *   `ids` rows. Generations written before keep their layout and are still read (queries.ts falls back to it).
 */
import Dexie, { type DexieOptions, type Table, type Transaction } from 'dexie';
import type { ResolvedFrom } from './card.ts';
import { cardFromRows, isContinuation } from './card-store.ts';
import type { CardKind, IdStatus } from './knowledge-index.ts';

export const KNOWLEDGE_DB_NAME = 'riposte-knowledge';

export interface SourceInfo {
  kind: 'attack' | 'd3fend';
  /** Where it came from: the URL, or `file:NAME` for a local import. */
  origin: string;
  /** ATT&CK release ("18.1") or D3FEND version when the data says; else null. */
  version: string | null;
  /** HTTP validators of the download, for the weekly "changed?" check. */
  etag?: string;
  lastModified?: string;
  /** Length of the source text in characters (after decompression). */
  size: number;
  /** For ATT&CK: domains and STIX version; for D3FEND: null. */
  domains?: string[];
  specVersion?: string;
  /** Latest `modified` of the ATT&CK objects (a version stamp when the bundle has no collection). */
  dataModified?: string;
}

export interface KnowledgeCounts {
  techniques: number;
  subtechniques: number;
  tactics: number;
  groups: number;
  software: number;
  campaigns: number;
  mitigations: number;
  detectionStrategies: number;
  analytics: number;
  dataComponents: number;
  relationships: number;
  revoked: number;
  deprecated: number;
  d3fendTechniques: number;
  d3fendArtifacts: number;
  /** Current ATT&CK techniques (incl. sub-techniques) with at least one D3FEND countermeasure. */
  techniquesWithCountermeasures: number;
  cards: number;
}

/** What `meta['active']` holds: the generation in use and how it came to be. */
export interface ActiveKnowledge {
  generation: number;
  importedAt: string;
  sources: SourceInfo[];
  counts: KnowledgeCounts;
  /** Milliseconds the import took (download excluded). */
  importMs: number;
  /** Where the time went, in milliseconds per stage (download, parse, cards, writes…), for the benchmark and support. */
  stages?: Record<string, number>;
}

export interface GenerationRow {
  id?: number;
  state: 'building' | 'complete';
  startedAt: string;
  finishedAt?: string;
}

export interface CardRow {
  generation: number;
  id: string;
  kind: CardKind;
  /**
   * The card as UTF-8 JSON (or one part of it, see card-store.ts); null for a revoked id, whose row redirects.
   * `id` is the card's id, or `${id}\u0000${part}` for a continuation part.
   */
  data: Uint8Array | null;
  /** On part 0 of a card split in several rows: how many. */
  parts?: number;
  /** On a continuation row: its part number (1…). */
  part?: number;
  redirect?: ResolvedFrom;
}

export interface IdRow {
  generation: number;
  id: string;
  name: string;
  kind: CardKind;
  status: IdStatus;
  replacedBy?: string;
  /** Extra names to search by: group / software / campaign aliases, D3FEND synonyms. */
  aliases?: string[];
  /** For a sub-technique, the parent's name ("PowerShell" is "Command and Scripting Interpreter: PowerShell"). */
  parentName?: string;
}

export interface BlobRow {
  generation: number;
  key: string;
  /** The document as JSON text: one string stores and loads far faster than a structured clone of the object. */
  json: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export class KnowledgeDatabase extends Dexie {
  meta!: Table<MetaRow, string>;
  generations!: Table<GenerationRow, number>;
  cards!: Table<CardRow, [number, string]>;
  ids!: Table<IdRow, [number, string]>;
  blobs!: Table<BlobRow, [number, string]>;

  constructor(name: string = KNOWLEDGE_DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      meta: 'key',
      generations: '++id, state',
      cards: '[generation+id], generation',
    });
    this.version(2)
      .stores({
        ids: '[generation+id], generation',
        blobs: '[generation+key], generation',
      })
      .upgrade(fillIdsFromCards);
  }
}

/** v1 -> v2: derive the id rows of every generation from its cards (a v1 card row holds everything needed). */
async function fillIdsFromCards(tx: Transaction): Promise<void> {
  const rows: IdRow[] = [];
  const cards = tx.table<CardRow, [number, string]>('cards');
  const all = await cards.toArray();
  const partsOf = new Map<string, CardRow[]>();
  for (const row of all) {
    if (!isContinuation(row)) continue;
    const key = `${row.generation} ${row.id.split('\u0000')[0]}`;
    partsOf.set(key, [...(partsOf.get(key) ?? []), row]);
  }
  for (const row of all) {
    if (isContinuation(row)) continue;
    if (row.redirect) {
      rows.push({
        generation: row.generation,
        id: row.id,
        name: row.redirect.name,
        kind: row.kind,
        status: 'revoked',
        replacedBy: row.redirect.replacedBy,
      });
      continue;
    }
    const card = cardFromRows([row, ...(partsOf.get(`${row.generation} ${row.id}`) ?? [])]);
    if (!card) continue;
    const id: IdRow = {
      generation: row.generation,
      id: row.id,
      name: card.name,
      kind: row.kind,
      status: card.status,
    };
    const aliases = 'aliases' in card ? card.aliases.filter((a) => a !== card.name) : [];
    if (aliases.length > 0) id.aliases = aliases;
    if (card.kind === 'technique' && card.parent) id.parentName = card.parent.name;
    rows.push(id);
  }
  await tx.table<IdRow, [number, string]>('ids').bulkPut(rows);
}

/** BroadcastChannel on which an import announces its commit (queries in other contexts drop their cache). */
export const KNOWLEDGE_CHANNEL = 'riposte-knowledge';

/** The blob holding a generation's id table (`IdRow`s without `generation`), since the sharded card layout. */
export const IDS_KEY = 'ids';

export const META_ACTIVE = 'active';
export const META_PROGRESS = 'progress';
export const META_LAST_ERROR = 'lastError';
export const META_SOURCE_CHECK = 'sourceCheck';

export function openKnowledgeDatabase(name?: string, options?: DexieOptions): KnowledgeDatabase {
  return new KnowledgeDatabase(name, options);
}
