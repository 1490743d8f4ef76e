import { browser } from 'wxt/browser';
import type { PageConfig } from '../messaging/protocol';
import type { Handlers } from '../messaging/router';
import type { Settings } from '../settings/schema';
import { pageConfigFor } from '../settings/site-policy';
import { TabState } from './tab-state';

/**
 * The background half of page detection: keeps every tab's detections (persisted in `storage.session` so that a
 * service-worker restart loses nothing), answers `tab.indicators`, sets the toolbar badge, and tells content
 * scripts whether to scan.
 */
const SESSION_KEY = 'riposte.tabs';

export interface PageBackground {
  handlers: Pick<Handlers, 'tab.indicators' | 'tab.reveal' | 'page.config' | 'page.report'>;
  /** Forget a tab (closed, or navigated at top level). */
  clearTab(tabId: number): Promise<void>;
  /** Push the current scan decision to every open tab (settings changed). */
  broadcastConfig(settings: Settings): Promise<void>;
}

export async function createPageBackground(getSettings: () => Promise<Settings>): Promise<PageBackground> {
  const stored = (await browser.storage.session.get(SESSION_KEY))[SESSION_KEY];
  const state = TabState.fromJSON(stored);
  let persistTimer: ReturnType<typeof setTimeout> | undefined;

  const persist = () => {
    clearTimeout(persistTimer);
    persistTimer = setTimeout(() => {
      void browser.storage.session.set({ [SESSION_KEY]: state.toJSON() });
    }, 250);
  };

  const updateBadge = async (tabId: number) => {
    const count = state.count(tabId);
    try {
      await browser.action.setBadgeText({
        tabId,
        text: count === 0 ? '' : count > 999 ? '999+' : String(count),
      });
      await browser.action.setBadgeBackgroundColor({ tabId, color: '#b42318' });
    } catch {
      // The tab closed meanwhile.
    }
  };

  const configForTab = async (tabId: number, fallbackUrl: string) => {
    const settings = await getSettings();
    let url = fallbackUrl;
    try {
      url = (await browser.tabs.get(tabId)).url ?? fallbackUrl;
    } catch {
      // Tab not readable: judge by the frame's own URL.
    }
    return withFamilies(pageConfigFor(url, settings), settings);
  };

  const clearTab = async (tabId: number) => {
    // Nothing to forget (a tab that reported nothing, such as an extension page): rewriting every tab's detections
    // to storage.session would make each open panel fetch its list again.
    if (!state.tabIds().includes(tabId)) return;
    state.clearTab(tabId);
    persist();
    await updateBadge(tabId);
  };

  return {
    clearTab,
    handlers: {
      'tab.indicators': ({ tabId }) => ({ indicators: state.indicators(tabId) }),
      'tab.reveal': async ({ tabId, indicator }) => {
        const reply: unknown = await browser.tabs
          .sendMessage(tabId, { type: 'content.reveal', indicator })
          .catch(() => undefined);
        return { found: reply === true || (typeof reply === 'object' && reply !== null && 'found' in reply) };
      },
      'page.config': (request, sender) => {
        if (sender.kind !== 'content-script') return { enabled: false, reason: 'Not a tab' };
        return configForTab(sender.tabId, request.url);
      },
      'page.report': async (request, sender) => {
        if (sender.kind !== 'content-script') return { ok: true };
        state.report(
          sender.tabId,
          sender.frameId,
          request.indicators,
          sender.frameId === 0 ? request.url : undefined,
        );
        persist();
        await updateBadge(sender.tabId);
        return { ok: true };
      },
    },
    async broadcastConfig(settings) {
      const tabs = await browser.tabs.query({});
      await Promise.all(
        tabs.map(async (tab) => {
          if (tab.id === undefined || !tab.url) return;
          const config = withFamilies(pageConfigFor(tab.url, settings), settings);
          if (!config.enabled) await clearTab(tab.id);
          await browser.tabs.sendMessage(tab.id, { type: 'content.config', config }).catch(() => undefined);
        }),
      );
    },
  };
}

/** Adds the families to paint (settings.highlight) to a scan decision; omitted when every family is on. */
export function withFamilies(config: PageConfig, settings: Settings): PageConfig {
  const families = (Object.keys(settings.highlight) as (keyof Settings['highlight'])[]).filter(
    (family) => settings.highlight[family],
  );
  return families.length === Object.keys(settings.highlight).length ? config : { ...config, families };
}
