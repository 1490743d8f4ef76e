import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startActionsBackground } from '../lib/actions/start-actions';
import { startKnowledgeBackground } from '../lib/knowledge/start-knowledge';
import { createRouter } from '../lib/messaging/router';
import { createPageBackground } from '../lib/page/background';
import { installPageControls, openPanelWithinGesture } from '../lib/page/controls';
import { openPanelOnActionClick, openSidePanel } from '../lib/panel/side-panel';
import { restrictToTrustedContexts } from '../lib/settings/secrets';
import { loadSettings, SETTINGS_KEY, settingsCache } from '../lib/settings/store';

export default defineBackground({
  type: 'module',
  main() {
    void restrictToTrustedContexts([browser.storage.local, browser.storage.session]);
    void openPanelOnActionClick();

    const settings = settingsCache(() => loadSettings(browser.storage.local, browser.storage.managed));
    const currentSettings = () => settings.get().then((s) => s.settings);

    const page = createPageBackground(currentSettings);
    const actions = startActionsBackground();
    const knowledge = startKnowledgeBackground(currentSettings);

    // Registered synchronously so that a message that wakes the worker is not lost.
    const routing = page.then((p) =>
      createRouter({
        self: { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') },
        handlers: {
          ...p.handlers,
          ...actions.handlers,
          ...knowledge.handlers,
          'panel.open': async (request, sender) => {
            // Opened already by openPanelWithinGesture while the click was still a user gesture.
            if (sender.kind === 'content-script')
              await openSidePanel({ tabId: sender.tabId }).catch(() => undefined);
            if (request.focus) await browser.storage.session.set({ 'riposte.panelFocus': request.focus });
            return { ok: true };
          },
        },
      }),
    );
    browser.runtime.onMessage.addListener((message, sender) => {
      openPanelWithinGesture(message, sender);
      return routing.then((route) => route(message, sender));
    });
    const controls = installPageControls({ getSettings: currentSettings, local: browser.storage.local });

    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (change.url) void page.then((p) => p.clearTab(tabId));
    });
    browser.tabs.onRemoved.addListener((tabId) => void page.then((p) => p.clearTab(tabId)));

    browser.storage.onChanged.addListener((changes, area) => {
      if ((area === 'local' && SETTINGS_KEY in changes) || area === 'managed') {
        settings.forget();
        actions.onSettingsChanged();
        void Promise.all([page, currentSettings()]).then(([p, s]) => p.broadcastConfig(s));
        void controls.refresh().catch(() => undefined);
      }
    });
  },
});
