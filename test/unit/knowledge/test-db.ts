import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { KnowledgeDatabase } from '../../../lib/knowledge/db.ts';
import type { LockManagerLike } from '../../../lib/knowledge/import-knowledge.ts';

let counter = 0;

/** A fresh knowledge database on fake-indexeddb (a unique name per call). */
export function testDatabase(
  name = `riposte-knowledge-test-${++counter}-${Math.random().toString(36).slice(2)}`,
) {
  return new KnowledgeDatabase(name, { indexedDB, IDBKeyRange });
}

/** The same database opened again, as a restarted service worker would. */
export function reopen(db: KnowledgeDatabase): KnowledgeDatabase {
  return new KnowledgeDatabase(db.name, { indexedDB, IDBKeyRange });
}

/** A Web Locks stand-in: one per "context" (a killed worker's locks die with it, so a new context gets a new one). */
export function fakeLocks(): LockManagerLike {
  const held = new Set<string>();
  return {
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        throw new Error('fakeLocks only supports ifAvailable');
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}
