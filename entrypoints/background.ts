import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createRouter } from '../lib/messaging/router';
import { createPageBackground } from '../lib/page/background';
import { openPanelOnActionClick, openSidePanel } from '../lib/panel/side-panel';
import { restrictToTrustedContexts } from '../lib/settings/secrets';
import { type LoadedSettings, loadSettings, SETTINGS_KEY } from '../lib/settings/store';

export default defineBackground({
  type: 'module',
  main() {
    void restrictToTrustedContexts([browser.storage.local, browser.storage.session]);
    void openPanelOnActionClick();

    let settings: Promise<LoadedSettings> | undefined;
    const currentSettings = () => {
      settings ??= loadSettings(browser.storage.local, browser.storage.managed);
      return settings.then((s) => s.settings);
    };

    const page = createPageBackground(currentSettings);

    // Registered synchronously so that a message that wakes the worker is not lost.
    const routing = page.then((p) =>
      createRouter({
        self: { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') },
        handlers: {
          ...p.handlers,
          'panel.open': async (request, sender) => {
            if (sender.kind === 'content-script') await openSidePanel({ tabId: sender.tabId });
            if (request.focus) await browser.storage.session.set({ 'riposte.panelFocus': request.focus });
            return { ok: true };
          },
        },
      }),
    );
    browser.runtime.onMessage.addListener((message, sender) =>
      routing.then((route) => route(message, sender)),
    );

    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (change.url) void page.then((p) => p.clearTab(tabId));
    });
    browser.tabs.onRemoved.addListener((tabId) => void page.then((p) => p.clearTab(tabId)));

    browser.storage.onChanged.addListener((changes, area) => {
      if ((area === 'local' && SETTINGS_KEY in changes) || area === 'managed') {
        settings = undefined;
        void Promise.all([page, currentSettings()]).then(([p, s]) => p.broadcastConfig(s));
      }
    });
  },
});
