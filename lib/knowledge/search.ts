/**
 * Fuzzy search by id or name over every current id (techniques, tactics, groups, software, campaigns, mitigations,
 * D3FEND techniques), with MiniSearch. Pure: built from id rows (in the extension) or from a KnowledgeIndex (CLI).
 *
 * Ranking: an exact id first, then ids starting with what was typed (`T1059` lists T1059 and its sub-techniques),
 * then name / alias matches (all words, prefix and typo-tolerant; any word when nothing matches them all).
 * "powershell" finds T1059.001 (PowerShell) first: an exact, short name outranks "PowerShell Profile".
 */
import MiniSearch from 'minisearch';
import type { IdRow } from './db.ts';
import { type CardKind, type IdStatus, normaliseId } from './knowledge-index.ts';

export interface SearchDocument {
  id: string;
  name: string;
  kind: CardKind;
  status: IdStatus;
  aliases?: string[];
  parentName?: string;
}

export interface SearchResult {
  id: string;
  name: string;
  kind: CardKind;
  status: IdStatus;
  /** For a sub-technique: its parent's name, to show "Command and Scripting Interpreter: PowerShell". */
  parentName?: string;
  score: number;
}

export interface KnowledgeSearch {
  search(query: string, limit?: number): SearchResult[];
  size: number;
}

const ID_LIKE = /^(T\d{1,4}(\.\d{0,3})?|TA\d{0,4}|[GSMC]\d{1,4}|D3-[A-Z0-9]*)$/;

export function searchDocumentsOf(rows: readonly Omit<IdRow, 'generation'>[]): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const r of rows) {
    if (r.status === 'revoked') continue;
    const doc: SearchDocument = { id: r.id, name: r.name, kind: r.kind, status: r.status };
    if (r.aliases) doc.aliases = r.aliases;
    if (r.parentName) doc.parentName = r.parentName;
    docs.push(doc);
  }
  return docs;
}

export function createSearch(documents: readonly SearchDocument[]): KnowledgeSearch {
  const byId = new Map(documents.map((d) => [d.id, d]));
  // Ordinal order, so that every id starting with a typed prefix is one contiguous run.
  const sortedIds = [...byId.keys()].sort();
  const mini = new MiniSearch<SearchDocument>({
    idField: 'id',
    fields: ['name', 'aliases', 'parentName'],
    storeFields: [],
    extractField: (doc, field) => {
      const value = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join(' ') : ((value as string | undefined) ?? '');
    },
  });
  mini.addAll(documents);

  const result = (doc: SearchDocument, score: number): SearchResult => {
    const r: SearchResult = { id: doc.id, name: doc.name, kind: doc.kind, status: doc.status, score };
    if (doc.parentName) r.parentName = doc.parentName;
    return r;
  };

  return {
    size: documents.length,
    search(query: string, limit = 20): SearchResult[] {
      const text = query.trim();
      if (text === '') return [];
      const out: SearchResult[] = [];
      const seen = new Set<string>();
      const add = (doc: SearchDocument | undefined, score: number) => {
        if (!doc || seen.has(doc.id) || out.length >= limit) return;
        seen.add(doc.id);
        out.push(result(doc, score));
      };

      const asId = normaliseId(text);
      if (ID_LIKE.test(asId)) {
        add(byId.get(asId), Number.MAX_SAFE_INTEGER);
        const start = lowerBound(sortedIds, asId);
        for (let i = start; i < sortedIds.length && out.length < limit; i++) {
          const id = sortedIds[i] as string;
          if (!id.startsWith(asId)) break;
          add(byId.get(id), 1_000_000 - i);
        }
        // A query that is an id (or an id prefix) and matched ids is answered; names hold no ids.
        if (out.length > 0) return out;
      }

      const options = {
        prefix: (term: string) => term.length >= 2,
        fuzzy: (term: string) => (term.length >= 5 ? 0.15 : false),
        maxFuzzy: 2,
        boost: { name: 3, aliases: 2, parentName: 0.5 },
        boostDocument: (id: unknown) => {
          const doc = byId.get(id as string);
          if (!doc) return 1;
          let boost = doc.status === 'deprecated' ? 0.3 : 1;
          // A name that is exactly the query outranks longer names containing it.
          if (doc.name.toLowerCase() === text.toLowerCase()) boost *= 4;
          return boost;
        },
      } as const;
      let hits = mini.search(text, { ...options, combineWith: 'AND' });
      if (hits.length === 0) hits = mini.search(text, { ...options, combineWith: 'OR' });
      for (const hit of hits) {
        if (out.length >= limit) break;
        add(byId.get(hit.id as string), hit.score);
      }
      return out;
    },
  };
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
