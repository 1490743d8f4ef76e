import type { Settings } from '../settings/schema';
import { type StorageAreaLike, updateSettings } from '../settings/store';

/**
 * Pausing Riposte, from the toolbar menu and the side panel: the same two switches, stored in the analyst's settings
 * (the background then tells every open tab, so a change needs no reload).
 */
export function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function isPausedOn(settings: Settings, site: string): boolean {
  return settings.pausedSites.some((p) => site === p || site.endsWith(`.${p}`));
}

export function setSitePaused(local: StorageAreaLike, site: string, paused: boolean): Promise<Settings> {
  return updateSettings(local, (s) => ({
    ...s,
    pausedSites: paused
      ? [...new Set([...s.pausedSites, site])]
      : s.pausedSites.filter((p) => !(site === p || site.endsWith(`.${p}`))),
  }));
}

export function setPausedEverywhere(local: StorageAreaLike, paused: boolean): Promise<Settings> {
  return updateSettings(local, (s) => ({ ...s, paused }));
}
