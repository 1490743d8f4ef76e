import { openKnowledgeDatabase } from '../../lib/knowledge/db';
import { createKnowledgeQueries } from '../../lib/knowledge/queries';

// Wiring only, loaded after the panel's first paint: the knowledge queries over the extension's IndexedDB (Dexie,
// MiniSearch).
export function openKnowledgeBase() {
  return createKnowledgeQueries(openKnowledgeDatabase());
}
export type KnowledgeBase = ReturnType<typeof openKnowledgeBase>;
