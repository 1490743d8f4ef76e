import { SETTINGS_VERSION } from './schema';

/**
 * Stored settings are migrated version by version before parsing. A migration takes the object as stored at
 * version N and returns it at version N + 1. Entries are append-only: a released migration is never edited.
 */
export type Migration = (stored: Record<string, unknown>) => Record<string, unknown>;

export const MIGRATIONS: Record<number, Migration> = {
  // 0 -> 1: objects written before settings carried a version. Same fields; stamp the version.
  0: (stored) => ({ ...stored, version: 1 }),
};

export interface MigrationResult {
  value: Record<string, unknown>;
  from: number;
  /** Set when the stored object is from a newer Riposte than this one: it is read as far as it parses. */
  newer?: boolean;
}

export function migrateSettings(
  stored: unknown,
  migrations: Record<number, Migration> = MIGRATIONS,
  target: number = SETTINGS_VERSION,
): MigrationResult {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return { value: {}, from: target };
  let value = stored as Record<string, unknown>;
  const from = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 0;
  if (from > target) return { value: { ...value, version: target }, from, newer: true };
  for (let version = from; version < target; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`No settings migration from version ${version}`);
    value = step(value);
  }
  return { value, from };
}
