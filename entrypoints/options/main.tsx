import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../components/theme.css';
import { signal } from '@preact/signals';
import { ConnectorsSection } from '../../components/actions/ConnectorsSection';
import { ProtectedSection } from '../../components/actions/ProtectedSection';
import { KnowledgeImport } from '../../components/KnowledgeImport';
import { KnowledgeSources } from '../../components/KnowledgeSources';
import { KnowledgeStatus } from '../../components/KnowledgeStatus';
import { SiteControls } from '../../components/SiteControls';
import { deriveStoredModels } from '../../lib/knowledge/background';
import { openKnowledgeDatabase } from '../../lib/knowledge/db';
import { createKnowledgeQueries } from '../../lib/knowledge/queries';
import { importLocalFiles } from '../../lib/knowledge/update-knowledge';
import type { CatalogEntryReply, InstanceForm, InstanceView } from '../../lib/messaging/actions-protocol';
import { sendRequest } from '../../lib/messaging/client';
import { createKnowledgeModel } from '../../lib/panel/knowledge-model';
import { requestKnowledgeUpdate } from '../../lib/panel/knowledge-update';
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

// Knowledge: status and Update through the background; files from disk are imported here, in the extension's own
// origin, through the same atomic pipeline (a File cannot travel through runtime messaging).
const knowledgeDb = openKnowledgeDatabase();
const knowledgeQueries = createKnowledgeQueries(knowledgeDb);
const knowledge = createKnowledgeModel({
  status: () => knowledgeQueries.status(),
  update: requestKnowledgeUpdate,
});
const importing = signal(false);
const importResult = signal<{ ok: boolean; message: string } | undefined>(undefined);

async function importFiles(files: File[]): Promise<void> {
  importing.value = true;
  importResult.value = undefined;
  const polling = knowledge.refresh();
  try {
    const result = await importLocalFiles(
      knowledgeDb,
      files.map((file) => ({ name: file.name, data: file })),
      { derive: deriveStoredModels },
    );
    knowledgeQueries.invalidate();
    importResult.value = result.ok
      ? { ok: true, message: `Imported ${files.map((f) => f.name).join(', ')}.` }
      : { ok: false, message: result.error };
  } catch (error) {
    importResult.value = {
      ok: false,
      message: `Import failed: ${errorText(error)}. The previous knowledge is still in use.`,
    };
  } finally {
    importing.value = false;
    await polling;
    await knowledge.refresh();
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
      <KnowledgeStatus
        status={knowledge.status.value}
        readError={knowledge.readError.value}
        updateError={knowledge.updateError.value}
        running={knowledge.running.value || importing.value}
        onUpdate={() => void knowledge.startUpdate()}
      />
      <KnowledgeImport
        busy={importing.value}
        result={importResult.value}
        onFiles={(files) => void importFiles(files)}
      />
      {current ? (
        <KnowledgeSources
          key={JSON.stringify(current.knowledge)}
          knowledge={current.knowledge}
          locked={locked.value.includes('knowledge')}
          onSave={(k) => void save((s) => ({ ...s, knowledge: k }))}
        />
      ) : null}
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
  void knowledge.refresh();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || SETTINGS_KEY in changes) {
      void reload();
      void reloadConnectors();
    }
  });
}
