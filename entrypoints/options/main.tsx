import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../components/theme.css';
import { signal } from '@preact/signals';
import { ConnectorsSection } from '../../components/actions/ConnectorsSection';
import { ProtectedSection } from '../../components/actions/ProtectedSection';
import { SiteControls } from '../../components/SiteControls';
import type { CatalogEntryReply, InstanceForm, InstanceView } from '../../lib/messaging/actions-protocol';
import { sendRequest } from '../../lib/messaging/client';
import { openSidePanel } from '../../lib/panel/side-panel';
import type { ManagedKey, Settings } from '../../lib/settings/schema';
import { loadSettings, loadUserSettings, SETTINGS_KEY, updateSettings } from '../../lib/settings/store';

const settings = signal<Settings | undefined>(undefined);
const locked = signal<ManagedKey[]>([]);
const message = signal<string | undefined>(undefined);
const userProtected = signal<string[]>([]);
const retentionLocked = signal(false);
const connectors = signal<
  { catalog: CatalogEntryReply[]; instances: InstanceView[]; allowedActions?: string[] } | undefined
>(undefined);
const connectorsError = signal<string | undefined>(undefined);

async function reloadConnectors(): Promise<void> {
  try {
    connectors.value = await sendRequest({ type: 'connectors.list' });
    connectorsError.value = undefined;
  } catch (error) {
    connectorsError.value = error instanceof Error ? error.message : String(error);
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Asks the browser for access to exactly the hosts this connector talks to. Called first thing in the Save / Test
 * click: `permissions.request` needs the click's user gesture.
 */
async function requestHosts(origins: string[]): Promise<string | undefined> {
  if (origins.length === 0) return undefined;
  try {
    const granted = await browser.permissions.request({ origins });
    return granted
      ? undefined
      : `The browser did not give Riposte access to ${origins.join(', ')}; actions on this connector will fail until you allow it.`;
  } catch (error) {
    return `Could not ask for access to ${origins.join(', ')}: ${errorText(error)}`;
  }
}

async function saveConnector(form: InstanceForm, origins: string[]) {
  const access = await requestHosts(origins);
  try {
    const { instance } = await sendRequest({ type: 'connectors.save', instance: form });
    await reloadConnectors();
    return { ok: true, message: `Saved "${instance.label}".${access ? ` ${access}` : ''}` };
  } catch (error) {
    return { ok: false, message: errorText(error) };
  }
}

async function testConnector(form: InstanceForm, origins: string[]) {
  const access = await requestHosts(origins);
  if (access) return { ok: false, message: access };
  try {
    return await sendRequest({ type: 'connectors.test', instance: form });
  } catch (error) {
    return { ok: false, message: errorText(error) };
  }
}

async function removeConnector(id: string) {
  try {
    await sendRequest({ type: 'connectors.remove', id });
    await reloadConnectors();
    return { ok: true, message: 'Removed.' };
  } catch (error) {
    return { ok: false, message: errorText(error) };
  }
}

async function reload(): Promise<void> {
  const loaded = await loadSettings(browser.storage.local, browser.storage.managed);
  settings.value = loaded.settings;
  locked.value = loaded.locked;
  if (loaded.problems.length) message.value = loaded.problems.join(' ');
  userProtected.value = (await loadUserSettings(browser.storage.local)).settings.actions.protected;
  try {
    const policy = (await browser.storage.managed.get('actions')).actions as { auditRetentionDays?: unknown };
    retentionLocked.value = policy?.auditRetentionDays !== undefined;
  } catch {
    retentionLocked.value = false;
  }
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
      {connectorsError.value ? <p class="error">{connectorsError.value}</p> : null}
      {connectors.value ? (
        <ConnectorsSection
          catalog={connectors.value.catalog}
          instances={connectors.value.instances}
          allowedActions={connectors.value.allowedActions}
          onSave={saveConnector}
          onTest={testConnector}
          onRemove={removeConnector}
        />
      ) : null}
      {current ? (
        <ProtectedSection
          key={`${userProtected.value.join('|')}:${current.actions.auditRetentionDays}`}
          entries={userProtected.value}
          policyEntries={current.actions.protected.filter((p) => !userProtected.value.includes(p))}
          retentionDays={current.actions.auditRetentionDays}
          retentionLocked={retentionLocked.value}
          onSave={(entries, days) =>
            void save((s) => ({
              ...s,
              actions: { ...s.actions, protected: entries, auditRetentionDays: days },
            }))
          }
        />
      ) : null}
    </main>
  );
}

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void reload();
  void reloadConnectors();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || SETTINGS_KEY in changes) {
      void reload();
      void reloadConnectors();
    }
  });
}
