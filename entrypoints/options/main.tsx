import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../components/theme.css';
import { signal } from '@preact/signals';
import { SiteControls } from '../../components/SiteControls';
import { openSidePanel } from '../../lib/panel/side-panel';
import type { ManagedKey, Settings } from '../../lib/settings/schema';
import { loadSettings, SETTINGS_KEY, updateSettings } from '../../lib/settings/store';

const settings = signal<Settings | undefined>(undefined);
const locked = signal<ManagedKey[]>([]);
const message = signal<string | undefined>(undefined);

async function reload(): Promise<void> {
  const loaded = await loadSettings(browser.storage.local, browser.storage.managed);
  settings.value = loaded.settings;
  locked.value = loaded.locked;
  if (loaded.problems.length) message.value = loaded.problems.join(' ');
}

async function save(update: (s: Settings) => Settings): Promise<void> {
  try {
    await updateSettings(browser.storage.local, update);
    message.value = 'Saved.';
    await reload();
  } catch (error) {
    message.value = error instanceof Error ? error.message : String(error);
  }
}

function App() {
  const current = settings.value;
  return (
    <main class="options">
      <header class="bar">
        <h1>Riposte settings</h1>
        <button
          type="button"
          id="open-side-panel"
          onClick={async () => {
            const win = await browser.windows.getCurrent();
            await openSidePanel({ windowId: win.id });
          }}
        >
          Open side panel
        </button>
      </header>
      {message.value ? (
        <p role="status" class="status">
          {message.value}
        </p>
      ) : null}
      {current ? (
        <SiteControls settings={current} locked={locked.value} onSave={save} />
      ) : (
        <p class="empty">Loading settings…</p>
      )}
    </main>
  );
}

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void reload();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || SETTINGS_KEY in changes) void reload();
  });
}
