import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import type { Settings } from '../settings/schema';
import { loadSettings, SETTINGS_KEY } from '../settings/store';
import { isPausedOn, setPausedEverywhere, setSitePaused, siteOf } from './pause';

/**
 * The side panel's pause switches for the page it shows: on this site, everywhere. Reads the effective settings
 * (policy included: an administrator's `paused` locks that switch) and writes the analyst's layer; the background
 * then tells the open tabs.
 */
export interface PauseModel {
  site: ReadonlySignal<string | null>;
  pausedHere: ReadonlySignal<boolean>;
  pausedEverywhere: ReadonlySignal<boolean>;
  lockedEverywhere: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | undefined>;
  toggleSite(): Promise<void>;
  toggleEverywhere(): Promise<void>;
  dispose(): void;
}

export function createPauseModel(tabUrl: () => string): PauseModel {
  const settings = signal<Settings | undefined>(undefined);
  const locked = signal<string[]>([]);
  const error = signal<string | undefined>(undefined);
  const site = computed(() => siteOf(tabUrl()));
  const reload = async () => {
    const loaded = await loadSettings(browser.storage.local, browser.storage.managed);
    settings.value = loaded.settings;
    locked.value = [...loaded.locked];
  };
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if ((area === 'local' && SETTINGS_KEY in changes) || area === 'managed') void reload();
  };
  browser.storage.onChanged.addListener(onChanged);
  void reload().catch((e: unknown) => {
    error.value = `Could not read settings: ${(e as Error).message}`;
  });
  const run = async (write: () => Promise<unknown>) => {
    try {
      error.value = undefined;
      await write();
      await reload();
    } catch (e) {
      error.value = (e as Error).message;
    }
  };
  const pausedHere = computed(() => {
    const s = settings.value;
    const here = site.value;
    return !!s && !!here && isPausedOn(s, here);
  });
  const pausedEverywhere = computed(() => settings.value?.paused ?? false);
  return {
    site,
    pausedHere,
    pausedEverywhere,
    lockedEverywhere: computed(() => locked.value.includes('paused')),
    error,
    toggleSite: () => {
      const here = site.value;
      return here
        ? run(() => setSitePaused(browser.storage.local, here, !pausedHere.value))
        : Promise.resolve();
    },
    toggleEverywhere: () => run(() => setPausedEverywhere(browser.storage.local, !pausedEverywhere.value)),
    dispose: () => browser.storage.onChanged.removeListener(onChanged),
  };
}
