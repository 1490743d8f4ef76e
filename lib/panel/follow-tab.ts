import { browser } from 'wxt/browser';
import type { IndicatorRef } from '../messaging/schemas';
import type { PageModel } from './page-model';
import { parseIndicatorRef } from './tab-indicators';

/**
 * Keeps the page model on the right tab, driven by events rather than polling:
 * - `?tabId=N` pins the panel to one tab (opened as a tab, in tests);
 * - otherwise the active tab of the panel's own window, following `tabs.onActivated`;
 * - `tabs.onUpdated`: a new URL means a new page (reset), a title change updates the heading;
 * - the background keeps every tab's detections in `storage.session` (`riposte.tabs`): a change there means new
 *   detections, so the panel asks for its tab's list again (one message, and only when something changed);
 * - `riposte.panelFocus` (set when the hover card opens the panel on an indicator) focuses that indicator.
 */
export const TABS_SESSION_KEY = 'riposte.tabs';
export const FOCUS_SESSION_KEY = 'riposte.panelFocus';

export interface FollowOptions {
  model: PageModel;
  /** From `?tabId=`; undefined to follow the active tab. */
  pinnedTabId?: number | undefined;
  onFocus: (target: IndicatorRef) => void;
}

export async function followTabs({ model, pinnedTabId, onFocus }: FollowOptions): Promise<() => void> {
  const cleanups: (() => void)[] = [];
  const describeTab = async (tabId: number) => {
    try {
      const tab = await browser.tabs.get(tabId);
      if (model.tabId.peek() === tabId) model.tab.value = { url: tab.url ?? '', title: tab.title ?? '' };
    } catch {
      model.tab.value = { url: '', title: '' };
    }
  };
  const follow = (tabId: number) => {
    void model.follow(tabId);
    void describeTab(tabId);
  };

  let windowId: number | undefined;
  if (pinnedTabId !== undefined) follow(pinnedTabId);
  else {
    windowId = (await browser.windows.getCurrent().catch(() => undefined))?.id;
    const [tab] = await browser.tabs.query(
      windowId === undefined ? { active: true, currentWindow: true } : { active: true, windowId },
    );
    if (tab?.id !== undefined) follow(tab.id);
    const onActivated = (info: { tabId: number; windowId: number }) => {
      if (windowId === undefined || info.windowId === windowId) follow(info.tabId);
    };
    browser.tabs.onActivated.addListener(onActivated);
    cleanups.push(() => browser.tabs.onActivated.removeListener(onActivated));
  }

  const onUpdated = (tabId: number, change: { url?: string; title?: string; status?: string }) => {
    if (tabId !== model.tabId.peek()) return;
    if (change.url) model.reset();
    if (change.url || change.title) void describeTab(tabId);
    if (change.status === 'complete') void model.refresh();
  };
  browser.tabs.onUpdated.addListener(onUpdated);
  cleanups.push(() => browser.tabs.onUpdated.removeListener(onUpdated));

  const takeFocus = (raw: unknown) => {
    const focus = parseIndicatorRef(raw);
    if (!focus) return;
    onFocus(focus);
    void browser.storage.session.remove(FOCUS_SESSION_KEY).catch(() => undefined);
  };
  const onStorage = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'session') return;
    if (TABS_SESSION_KEY in changes) void model.refresh();
    const focus = changes[FOCUS_SESSION_KEY];
    if (focus?.newValue) takeFocus(focus.newValue);
  };
  browser.storage.onChanged.addListener(onStorage);
  cleanups.push(() => browser.storage.onChanged.removeListener(onStorage));
  const pending = await browser.storage.session
    .get(FOCUS_SESSION_KEY)
    .catch(() => ({}) as Record<string, unknown>);
  if (pending[FOCUS_SESSION_KEY]) takeFocus(pending[FOCUS_SESSION_KEY]);

  const onVisible = () => {
    if (document.visibilityState === 'visible') void model.refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  cleanups.push(() => document.removeEventListener('visibilitychange', onVisible));

  return () => {
    for (const c of cleanups) c();
  };
}
