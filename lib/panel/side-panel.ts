import { browser } from 'wxt/browser';

/**
 * The side panel differs per browser: Chrome / Edge have `chrome.sidePanel`, Firefox has `sidebarAction`. Neither
 * is in webextension-polyfill's typings, so this is the one place that reaches for them.
 */
interface ChromeSidePanel {
  open(options: { tabId?: number; windowId?: number }): Promise<void>;
  setPanelBehavior(behavior: { openPanelOnActionClick: boolean }): Promise<void>;
}
interface FirefoxSidebarAction {
  open(): Promise<void>;
  toggle?(): Promise<void>;
}

function chromeSidePanel(): ChromeSidePanel | undefined {
  return (globalThis as { chrome?: { sidePanel?: ChromeSidePanel } }).chrome?.sidePanel;
}
function firefoxSidebar(): FirefoxSidebarAction | undefined {
  return (browser as unknown as { sidebarAction?: FirefoxSidebarAction }).sidebarAction;
}

/** Makes the toolbar button open the panel (Chrome natively; Firefox through the action's click event). */
export async function openPanelOnActionClick(): Promise<void> {
  const sidePanel = chromeSidePanel();
  if (sidePanel) {
    await sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
    return;
  }
  const sidebar = firefoxSidebar();
  if (sidebar)
    browser.action.onClicked.addListener(() => void (sidebar.toggle ?? sidebar.open).call(sidebar));
}

/** Opens the panel for a tab. Must run while a user gesture is still in effect. */
export async function openSidePanel(target: { tabId?: number; windowId?: number }): Promise<void> {
  const sidePanel = chromeSidePanel();
  if (sidePanel) {
    await sidePanel.open(
      target.tabId !== undefined ? { tabId: target.tabId } : { windowId: target.windowId },
    );
    return;
  }
  const sidebar = firefoxSidebar();
  if (sidebar) await sidebar.open();
}
