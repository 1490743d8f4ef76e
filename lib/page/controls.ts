import { browser } from 'wxt/browser';
import { detect } from '../detect/index';
import type { IndicatorRef } from '../messaging/schemas';
import { openSidePanel } from '../panel/side-panel';
import type { Settings } from '../settings/schema';
import type { StorageAreaLike } from '../settings/store';
import { isPausedOn, setPausedEverywhere, setSitePaused, siteOf } from './pause';

/**
 * Riposte's browser-level controls, wired by the background: the toolbar button's context menu (pause on this site,
 * pause everywhere) and "Look up in Riposte" on selected text, which opens the side panel focused on what the
 * selection holds. The keyboard shortcut is the manifest's `_execute_action` (Alt+Shift+R), which opens the panel
 * like a click on the toolbar button.
 */
export const MENU_PAUSE_SITE = 'riposte-pause-site';
export const MENU_PAUSE_ALL = 'riposte-pause-all';
export const MENU_LOOKUP = 'riposte-lookup';
export const FOCUS_KEY = 'riposte.panelFocus';

export interface PageControlsOptions {
  getSettings: () => Promise<Settings>;
  local: StorageAreaLike;
}

export interface PageControls {
  /** Brings the menu's check marks in line with the settings and the active tab. */
  refresh(): Promise<void>;
}

/** What a selection is about: the first indicator detected in it. */
export function focusOfSelection(text: string): IndicatorRef | null {
  const [first] = detect(text.slice(0, 4096));
  return first ? { type: first.type, value: first.value } : null;
}

export function installPageControls({ getSettings, local }: PageControlsOptions): PageControls {
  const menus = browser.contextMenus;
  const ready = (async () => {
    await menus.removeAll();
    menus.create({
      id: MENU_PAUSE_SITE,
      title: 'Pause Riposte on this site',
      type: 'checkbox',
      contexts: ['action'],
    });
    menus.create({
      id: MENU_PAUSE_ALL,
      title: 'Pause Riposte everywhere',
      type: 'checkbox',
      contexts: ['action'],
    });
    menus.create({ id: MENU_LOOKUP, title: 'Look up in Riposte', contexts: ['selection'] });
  })();

  const refresh = async () => {
    await ready;
    const settings = await getSettings();
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
    const site = siteOf(tab?.url);
    await menus.update(MENU_PAUSE_ALL, { checked: settings.paused });
    await menus.update(MENU_PAUSE_SITE, {
      checked: site ? isPausedOn(settings, site) : false,
      enabled: site !== null,
      title: site ? `Pause Riposte on ${site}` : 'Pause Riposte on this site',
    });
  };

  menus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === MENU_LOOKUP) {
      // Open first, while the click still counts as a user gesture.
      if (tab?.id !== undefined) void openSidePanel({ tabId: tab.id }).catch(() => undefined);
      const focus = focusOfSelection(info.selectionText ?? '');
      if (focus) void browser.storage.session.set({ [FOCUS_KEY]: focus });
      return;
    }
    if (info.menuItemId === MENU_PAUSE_ALL) {
      void setPausedEverywhere(local, info.checked === true);
      return;
    }
    if (info.menuItemId === MENU_PAUSE_SITE) {
      const site = siteOf(tab?.url);
      if (site) void setSitePaused(local, site, info.checked === true);
    }
  });
  browser.tabs.onActivated.addListener(() => void refresh().catch(() => undefined));
  browser.tabs.onUpdated.addListener((_id, change) => {
    if (change.url) void refresh().catch(() => undefined);
  });
  void refresh().catch(() => undefined);
  return { refresh };
}

/**
 * `sidePanel.open()` only works while the user's click is still being handled, so a hover card's "Open in side
 * panel" message must open the panel synchronously, before the router's asynchronous work. Returns true when it
 * was such a message.
 */
export function openPanelWithinGesture(
  message: unknown,
  sender: { id?: string; tab?: { id?: number } },
): boolean {
  if (sender.id !== browser.runtime.id || sender.tab?.id === undefined) return false;
  if (
    typeof message !== 'object' ||
    message === null ||
    (message as { type?: unknown }).type !== 'panel.open'
  )
    return false;
  void openSidePanel({ tabId: sender.tab.id }).catch(() => undefined);
  return true;
}
