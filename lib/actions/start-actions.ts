/**
 * The service worker's response actions: the runtime (audit log, pending poller on `browser.alarms`, executor on
 * the global `fetch`) and the message handlers, wired to extension storage, the side panel and a runtime broadcast
 * for live status. Call synchronously from the background's `main()` so the alarm listener is registered before
 * the event that woke the worker is dispatched.
 */
import { browser } from 'wxt/browser';
import type { ActionsEvent } from '../messaging/actions-protocol';
import { openSidePanel } from '../panel/side-panel';
import { loadSettings } from '../settings/store';
import { type ActionHandlers, createActionHandlers, guardrailPolicy, readInstances } from './handlers';
import { alarmWake, createActionsRuntime } from './runtime';

export interface ActionsBackground {
  handlers: ActionHandlers;
  /** Settings changed: apply the audit retention. */
  onSettingsChanged(): void;
}

export function startActionsBackground(): ActionsBackground {
  const settings = () => loadSettings(browser.storage.local, browser.storage.managed);
  const secrets = { local: browser.storage.local, session: browser.storage.session };
  const broadcast = (event: ActionsEvent) => {
    // extension pages only (runtime messages never reach content scripts); nobody listening is fine
    browser.runtime.sendMessage(event).catch(() => undefined);
  };
  const runtime = createActionsRuntime({
    instances: () => readInstances(settings, secrets),
    policy: async () => guardrailPolicy((await settings()).settings),
    wake: (tick) => alarmWake(browser.alarms, tick),
    onUpdate: (operation) => broadcast({ type: 'actions.event.status', operation }),
  });
  browser.alarms.onAlarm.addListener((alarm) => void runtime.onAlarm(alarm.name));
  const purge = () =>
    void settings()
      .then((s) => runtime.audit.purge(s.settings.actions.auditRetentionDays, Date.now()))
      .catch(() => undefined);
  // what was pending when the worker (or the browser) stopped is polled again now
  void runtime.poller.resume().then(() => runtime.poller.tick());
  purge();
  const handlers = createActionHandlers({
    runtime,
    settings,
    local: browser.storage.local,
    secrets,
    openPanel: (tabId) => openSidePanel({ tabId }),
    broadcast,
    newId: () => crypto.randomUUID(),
    now: () => Date.now(),
  });
  return { handlers, onSettingsChanged: purge };
}
