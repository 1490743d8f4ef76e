import type { StorageAreaLike } from './store';

/**
 * Connector secrets (API keys, client secrets). Background only: extension pages send a secret once when saving a
 * connector and afterwards see only whether it is set. Stored in `storage.local` (restricted to trusted contexts
 * where the browser supports it, see `restrictToTrustedContexts`) or, when the analyst asks, in `storage.session`
 * so that it is gone when the browser closes. Never in `storage.sync`, a log line or an export.
 */
export const SECRETS_KEY = 'riposte.secrets';

export interface SecretStores {
  local: StorageAreaLike;
  session?: StorageAreaLike;
}

type SecretMap = Record<string, Record<string, string>>;

async function readMap(area: StorageAreaLike | undefined): Promise<SecretMap> {
  if (!area) return {};
  const raw = (await area.get(SECRETS_KEY))[SECRETS_KEY];
  if (!raw || typeof raw !== 'object') return {};
  const map: SecretMap = {};
  for (const [instance, fields] of Object.entries(raw as Record<string, unknown>)) {
    if (!fields || typeof fields !== 'object') continue;
    const clean: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
      if (typeof value === 'string') clean[name] = value;
    }
    map[instance] = clean;
  }
  return map;
}

/** The secrets of one connector instance; session values win over persisted ones. */
export async function readSecrets(stores: SecretStores, instanceId: string): Promise<Record<string, string>> {
  const [local, session] = await Promise.all([readMap(stores.local), readMap(stores.session)]);
  return { ...local[instanceId], ...session[instanceId] };
}

/**
 * Stores the given secret fields of an instance. Empty strings leave the existing value (the form shows a masked
 * field; leaving it untouched must not erase the secret). `sessionOnly` moves all of the instance's secrets to the
 * session store.
 */
export async function writeSecrets(
  stores: SecretStores,
  instanceId: string,
  values: Record<string, string>,
  sessionOnly: boolean,
): Promise<void> {
  const existing = await readSecrets(stores, instanceId);
  const merged: Record<string, string> = { ...existing };
  for (const [name, value] of Object.entries(values)) if (value !== '') merged[name] = value;
  const target = sessionOnly && stores.session ? stores.session : stores.local;
  const other = target === stores.local ? stores.session : stores.local;
  const targetMap = await readMap(target);
  targetMap[instanceId] = merged;
  await target.set({ [SECRETS_KEY]: targetMap });
  if (other) {
    const otherMap = await readMap(other);
    if (instanceId in otherMap) {
      delete otherMap[instanceId];
      await other.set({ [SECRETS_KEY]: otherMap });
    }
  }
}

export async function deleteSecrets(stores: SecretStores, instanceId: string): Promise<void> {
  for (const area of [stores.local, stores.session]) {
    if (!area) continue;
    const map = await readMap(area);
    if (instanceId in map) {
      delete map[instanceId];
      await area.set({ [SECRETS_KEY]: map });
    }
  }
}

/** Which secret fields are set, for the options page (never the values). */
export async function secretPresence(
  stores: SecretStores,
  instanceId: string,
  fields: readonly string[],
): Promise<Record<string, boolean>> {
  const secrets = await readSecrets(stores, instanceId);
  return Object.fromEntries(fields.map((f) => [f, Boolean(secrets[f])]));
}

interface AccessLevelArea {
  setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void>;
}

/**
 * Keeps content scripts out of `storage.local` and `storage.session` (Chrome supports this for both; Firefox only
 * for session, which is trusted-only there by default). Content scripts never need storage: they ask the background.
 */
export async function restrictToTrustedContexts(areas: unknown[]): Promise<void> {
  for (const area of areas) {
    const setter = (area as AccessLevelArea | undefined)?.setAccessLevel;
    if (typeof setter !== 'function') continue;
    try {
      await setter.call(area, { accessLevel: 'TRUSTED_CONTEXTS' });
    } catch {
      // Unsupported for this area in this browser: secrets there stay unread by our own content script anyway.
    }
  }
}
