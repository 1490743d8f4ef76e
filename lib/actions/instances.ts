/**
 * Bridges lib/settings (instances stored without secrets, secrets stored apart, policy) and the response framework.
 * Secret field names are the connectors' `secretFields`, dotted for nested settings (`auth.secret`).
 */
import type { AnyConnector } from './connector';
import { ACTION_KINDS, type ActionKind, type ConnectorInstance } from './types';

/** A connector instance as lib/settings stores it (`ConnectorInstanceSchema`). */
export interface StoredInstance {
  id: string;
  vendor: string;
  label: string;
  settings: Record<string, unknown>;
  actions: string[];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = next && typeof next === 'object' ? { ...(next as Record<string, unknown>) } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/**
 * The executable instance: stored settings with the secrets put back, and the enabled actions narrowed to what
 * exists (and, when an administrator set `allowedActions`, to those).
 */
export function toActionInstance(
  stored: StoredInstance,
  secrets: Record<string, string>,
  connector: AnyConnector | undefined,
  allowedActions?: readonly string[],
): ConnectorInstance {
  const settings = structuredClone(stored.settings);
  for (const field of connector?.secretFields ?? []) {
    const value = secrets[field];
    if (value) setPath(settings, field, value);
  }
  const enabledActions = ACTION_KINDS.filter(
    (k) =>
      stored.actions.includes(k) &&
      connector?.actions[k] !== undefined &&
      (!allowedActions || allowedActions.includes(k)),
  );
  return { id: stored.id, label: stored.label, vendor: stored.vendor, settings, enabledActions };
}

/**
 * Splits a settings form into what may be stored with the instance (readable by extension pages) and the secret
 * fields (background-only storage). Used when the options page saves an instance.
 */
export function splitSecrets(
  connector: AnyConnector,
  formSettings: Record<string, unknown>,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings = structuredClone(formSettings);
  const secrets: Record<string, string> = {};
  for (const field of connector.secretFields) {
    const value = getPath(settings, field);
    if (typeof value === 'string') secrets[field] = value;
    if (value !== undefined) setPath(settings, field, undefined);
  }
  return { settings: JSON.parse(JSON.stringify(settings)) as Record<string, unknown>, secrets };
}

/** The actions a stored instance may offer, for the options page's checkboxes. */
export function declaredActions(connector: AnyConnector): ActionKind[] {
  return ACTION_KINDS.filter((k) => connector.actions[k] !== undefined);
}
