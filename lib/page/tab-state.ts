import type { CountedIndicator } from '../messaging/schemas';

/**
 * The background's record of what is detected in every tab, all frames together. Each frame's content script
 * reports its complete current set; a report replaces that frame's previous one, so removed rows disappear and a
 * frame that navigates starts over. The whole tab is cleared on a top-level navigation or when it closes.
 *
 * Serialisable (`toJSON` / `fromJSON`) so the service worker can keep it in `storage.session` across restarts.
 */
export type FrameReport = CountedIndicator[];

export interface TabStateSnapshot {
  tabs: Record<string, { url?: string; frames: Record<string, FrameReport> }>;
}

export class TabState {
  private tabs = new Map<number, { url?: string; frames: Map<number, FrameReport> }>();

  report(tabId: number, frameId: number, indicators: FrameReport, url?: string): void {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = { frames: new Map() };
      this.tabs.set(tabId, tab);
    }
    if (frameId === 0 && url) tab.url = url;
    if (indicators.length === 0) tab.frames.delete(frameId);
    else tab.frames.set(frameId, indicators);
  }

  /** Everything in the tab: the same indicator seen in several frames is one entry with the counts added up. */
  indicators(tabId: number): CountedIndicator[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    const merged = new Map<string, CountedIndicator>();
    for (const frame of tab.frames.values()) {
      for (const item of frame) {
        const key = `${item.type}\u0000${item.value}`;
        const seen = merged.get(key);
        if (seen) seen.count += item.count;
        else merged.set(key, { ...item });
      }
    }
    return [...merged.values()];
  }

  /** Number of distinct indicators in the tab (the toolbar badge). */
  count(tabId: number): number {
    return this.indicators(tabId).length;
  }

  clearTab(tabId: number): void {
    this.tabs.delete(tabId);
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  toJSON(): TabStateSnapshot {
    const tabs: TabStateSnapshot['tabs'] = {};
    for (const [tabId, tab] of this.tabs) {
      tabs[String(tabId)] = {
        ...(tab.url ? { url: tab.url } : {}),
        frames: Object.fromEntries([...tab.frames].map(([f, r]) => [String(f), r])),
      };
    }
    return { tabs };
  }

  static fromJSON(snapshot: unknown): TabState {
    const state = new TabState();
    const tabs = (snapshot as TabStateSnapshot | undefined)?.tabs;
    if (!tabs || typeof tabs !== 'object') return state;
    for (const [tabId, tab] of Object.entries(tabs)) {
      if (!tab || typeof tab !== 'object' || !tab.frames) continue;
      for (const [frameId, report] of Object.entries(tab.frames)) {
        if (Array.isArray(report)) state.report(Number(tabId), Number(frameId), report, tab.url);
      }
    }
    return state;
  }
}
