// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CountedIndicator } from '../../../lib/messaging/schemas';
import { FOCUS_SESSION_KEY, followTabs, TABS_SESSION_KEY } from '../../../lib/panel/follow-tab';
import { createPageModel } from '../../../lib/panel/page-model';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('followTabs', () => {
  let asked: number[];
  let stop: (() => void) | undefined;
  const model = () =>
    createPageModel(async (tabId): Promise<CountedIndicator[]> => {
      asked.push(tabId);
      return [{ type: 'domain', value: `tab-${tabId}.example`, count: 1 }];
    });

  beforeEach(() => {
    fakeBrowser.reset();
    asked = [];
  });
  afterEach(() => {
    stop?.();
    stop = undefined;
  });

  it('follows the active tab of its window, and ignores other windows', async () => {
    const win = await fakeBrowser.windows.create({ focused: true });
    const first = await fakeBrowser.tabs.create({
      url: 'https://one.example/',
      active: true,
      windowId: win?.id,
    });
    const page = model();
    stop = await followTabs({ model: page, onFocus: () => {} });
    await flush();
    expect(page.tabId.value).toBe(first.id);
    const second = await fakeBrowser.tabs.create({
      url: 'https://two.example/',
      active: true,
      windowId: win?.id,
    });
    await flush();
    expect(page.tabId.value).toBe(second.id);
    expect(page.indicators.value.map((i) => i.value)).toEqual([`tab-${second.id}.example`]);
    await fakeBrowser.tabs.onActivated.trigger({ tabId: 4242, windowId: 999 });
    await flush();
    expect(page.tabId.value).toBe(second.id);
  });

  it('asks again when the background records new detections, and starts over on a navigation', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://one.example/', active: true });
    const page = model();
    stop = await followTabs({ model: page, pinnedTabId: tab.id, onFocus: () => {} });
    await flush();
    const before = asked.length;
    await fakeBrowser.storage.session.set({ [TABS_SESSION_KEY]: { tabs: {} } });
    await flush();
    expect(asked.length).toBe(before + 1);
    await fakeBrowser.storage.session.set({ unrelated: 1 });
    await flush();
    expect(asked.length).toBe(before + 1);

    const reset = vi.spyOn(page, 'reset');
    await fakeBrowser.tabs.onUpdated.trigger(tab.id as number, { url: 'https://one.example/next' }, tab);
    expect(reset).toHaveBeenCalledTimes(1);
    expect(page.status.value).toBe('loading');
    await fakeBrowser.tabs.onUpdated.trigger(tab.id as number, { status: 'complete' }, tab);
    await flush();
    expect(page.status.value).toBe('ready');
  });

  it('a pinned panel (?tabId=) does not move with the active tab', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://one.example/', active: true });
    const page = model();
    stop = await followTabs({ model: page, pinnedTabId: tab.id, onFocus: () => {} });
    await fakeBrowser.tabs.create({ url: 'https://two.example/', active: true });
    await flush();
    expect(page.tabId.value).toBe(tab.id);
  });

  it('takes the focus the hover card left, once', async () => {
    await fakeBrowser.storage.session.set({
      [FOCUS_SESSION_KEY]: { type: 'attack_technique', value: 'T1059.001' },
    });
    const tab = await fakeBrowser.tabs.create({ url: 'https://one.example/', active: true });
    const focus = vi.fn();
    stop = await followTabs({ model: model(), pinnedTabId: tab.id, onFocus: focus });
    await flush();
    expect(focus).toHaveBeenCalledWith({ type: 'attack_technique', value: 'T1059.001' });
    expect((await fakeBrowser.storage.session.get(FOCUS_SESSION_KEY))[FOCUS_SESSION_KEY]).toBeUndefined();
    await fakeBrowser.storage.session.set({ [FOCUS_SESSION_KEY]: { type: 'ipv4', value: '203.0.113.9' } });
    await flush();
    expect(focus).toHaveBeenLastCalledWith({ type: 'ipv4', value: '203.0.113.9' });
    await fakeBrowser.storage.session.set({ [FOCUS_SESSION_KEY]: { type: 'not-a-type', value: 'x' } });
    await flush();
    expect(focus).toHaveBeenCalledTimes(2);
  });
});
