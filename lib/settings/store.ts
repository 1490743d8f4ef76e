import { z } from 'zod';
import { migrateSettings } from './migrate';
import { applyPolicy, type PolicyResult } from './policy';
import { DEFAULT_SETTINGS, type Settings, SettingsSchema } from './schema';

/** The part of `storage.StorageArea` Riposte uses (the same in Chrome, Firefox and WXT's fake browser). */
export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export const SETTINGS_KEY = 'riposte.settings';

export interface LoadedSettings extends PolicyResult {
  /** Fields of the stored object that did not parse and were reset to defaults, in words. */
  problems: string[];
}

/**
 * Reads the analyst's settings (migrated and parsed; a field that does not parse falls back to its default and is
 * reported) and lays the administrator's policy from `storage.managed` over them.
 */
export async function loadSettings(
  local: StorageAreaLike,
  managed?: StorageAreaLike,
): Promise<LoadedSettings> {
  const { settings: user, problems } = await loadUserSettings(local);
  let policy: unknown = {};
  if (managed) {
    try {
      policy = await managed.get(null);
    } catch {
      // No policy installed (Firefox throws when no managed manifest exists): nothing to apply.
    }
  }
  const result = applyPolicy(user, policy);
  return { ...result, problems: [...problems, ...result.problems] };
}

/** The analyst's own layer, without policy. */
export async function loadUserSettings(
  local: StorageAreaLike,
): Promise<{ settings: Settings; problems: string[] }> {
  const stored = (await local.get(SETTINGS_KEY))[SETTINGS_KEY];
  return parseStoredSettings(stored);
}

export function parseStoredSettings(stored: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const { value, newer } = migrateSettings(stored);
  if (newer)
    problems.push('Settings were written by a newer Riposte; fields this version does not know are ignored.');
  const whole = SettingsSchema.safeParse(value);
  if (whole.success) return { settings: whole.data, problems };
  // Salvage field by field: one bad field must not cost the analyst every other setting.
  const salvaged: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SettingsSchema.shape)) {
    const field = (schema as z.ZodType).safeParse(value[key]);
    if (field.success) salvaged[key] = field.data;
    else problems.push(`Setting "${key}" was invalid and has been reset (${z.prettifyError(field.error)}).`);
  }
  return { settings: SettingsSchema.parse(salvaged), problems };
}

/**
 * Applies `update` to the analyst's layer and stores it. The result is validated before anything is written, so an
 * invalid update changes nothing and throws with the reason.
 */
export async function updateSettings(
  local: StorageAreaLike,
  update: (current: Settings) => Settings,
): Promise<Settings> {
  const { settings } = await loadUserSettings(local);
  const next = SettingsSchema.safeParse(update(structuredClone(settings)));
  if (!next.success) throw new Error(`Settings not saved: ${z.prettifyError(next.error)}`);
  await local.set({ [SETTINGS_KEY]: next.data });
  return next.data;
}

export { DEFAULT_SETTINGS };

/**
 * The background's settings, read once and kept until `forget()` (the analyst or the policy changed them). A read
 * that fails is not kept: the next question reads again, rather than every later `page.config` failing too.
 */
export function settingsCache(load: () => Promise<LoadedSettings>) {
  let current: Promise<LoadedSettings> | undefined;
  return {
    get(): Promise<LoadedSettings> {
      if (!current) {
        const loading = load().catch((error: unknown) => {
          if (current === loading) current = undefined;
          throw error;
        });
        current = loading;
      }
      return current;
    },
    forget(): void {
      current = undefined;
    },
  };
}
