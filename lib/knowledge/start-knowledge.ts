import { browser } from 'wxt/browser';
import type { Settings } from '../settings/schema';
import {
  createKnowledgeBackground,
  type KnowledgeBackground,
  WEEKLY_CHECK_ALARM,
  WEEKLY_CHECK_MINUTES,
} from './background';
import { openKnowledgeDatabase } from './db';
import { sourcesFromSettings } from './update-knowledge';

/**
 * Wires the knowledge background to the browser: the extension's IndexedDB, `fetch`, the settings' source URLs,
 * a keep-alive (an extension API call every 20 s while an import runs resets Chrome's idle timer), the weekly
 * alarm, and the start-up recovery / first-run download. Called synchronously from the background's `main()`.
 */
export function startKnowledgeBackground(getSettings: () => Promise<Settings>): KnowledgeBackground {
  const knowledge = createKnowledgeBackground({
    db: openKnowledgeDatabase(),
    fetch: (url, init) => fetch(url, init),
    sources: async () => sourcesFromSettings((await getSettings()).knowledge),
    autoUpdate: async () => (await getSettings()).knowledge.autoUpdate,
    keepAlive: () => browser.runtime.getPlatformInfo(),
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === WEEKLY_CHECK_ALARM) void knowledge.weeklyCheck();
  });
  void (async () => {
    const existing = await browser.alarms.get(WEEKLY_CHECK_ALARM);
    if (!existing) {
      await browser.alarms.create(WEEKLY_CHECK_ALARM, {
        periodInMinutes: WEEKLY_CHECK_MINUTES,
        delayInMinutes: WEEKLY_CHECK_MINUTES,
      });
    }
    await knowledge.onStartup();
  })().catch((error: unknown) =>
    console.warn(`[riposte] knowledge start-up failed: ${(error as Error).message}`),
  );
  return knowledge;
}
