/**
 * The one list of connectors, and the one dispatcher keyed on what they declare: which (instance, action) pairs
 * apply to a target, and which D3FEND countermeasures a configured instance can carry out.
 * Adding a vendor = one file in `connectors/` + one line here (+ its emulator and test; the meta-test checks).
 */
import { z } from 'zod';
import type { AnyConnector } from './connector';
import { crowdstrike } from './connectors/crowdstrike';
import { defender } from './connectors/defender';
import { elastic } from './connectors/elastic';
import { sentinelone } from './connectors/sentinelone';
import { splunkSoar } from './connectors/splunk-soar';
import { webhook } from './connectors/webhook';
import { xsoar } from './connectors/xsoar';
import {
  ACTION_COUNTERMEASURES,
  ACTION_KINDS,
  ACTION_LABELS,
  type ActionKind,
  type ConnectorInstance,
  D3FEND,
  type D3fendCountermeasure,
  HIGH_IMPACT_ACTIONS,
  type TargetType,
  UNDO_OF,
} from './types';

export const CONNECTORS: readonly AnyConnector[] = [
  crowdstrike,
  defender,
  webhook,
  sentinelone,
  elastic,
  splunkSoar,
  xsoar,
];

const BY_ID = new Map(CONNECTORS.map((c) => [c.id, c]));

export function connectorById(id: string): AnyConnector | undefined {
  return BY_ID.get(id);
}

export interface AvailableAction {
  instanceId: string;
  instanceLabel: string;
  vendor: string;
  vendorLabel: string;
  action: ActionKind;
  label: string;
  countermeasures: D3fendCountermeasure[];
  /** Isolation: the confirmation must be repeated naming the host. */
  highImpact: boolean;
  undo?: ActionKind;
}

/** The declared (and enabled) actions of an instance; unknown vendors have none. */
export function actionsOf(instance: ConnectorInstance): ActionKind[] {
  const connector = BY_ID.get(instance.vendor);
  if (!connector) return [];
  return ACTION_KINDS.filter(
    (k) => connector.actions[k] !== undefined && instance.enabledActions.includes(k),
  );
}

export function countermeasuresOf(kind: ActionKind): D3fendCountermeasure[] {
  return ACTION_COUNTERMEASURES[kind].map((id) => D3FEND[id] ?? { id, name: id });
}

/** Everything the configured instances can do to a target of this type, in registry then action order. */
export function availableActions(
  instances: readonly ConnectorInstance[],
  targetType: TargetType,
): AvailableAction[] {
  const out: AvailableAction[] = [];
  for (const instance of instances) {
    const connector = BY_ID.get(instance.vendor);
    if (!connector) continue;
    for (const kind of actionsOf(instance)) {
      const spec = connector.actions[kind];
      if (!spec?.targets.includes(targetType)) continue;
      out.push({
        instanceId: instance.id,
        instanceLabel: instance.label,
        vendor: connector.id,
        vendorLabel: connector.label,
        action: kind,
        label: ACTION_LABELS[kind],
        countermeasures: countermeasuresOf(kind),
        highImpact: HIGH_IMPACT_ACTIONS.has(kind),
        undo: UNDO_OF[kind] && connector.actions[UNDO_OF[kind]] ? UNDO_OF[kind] : undefined,
      });
    }
  }
  return out;
}

/**
 * For a technique card's "Apply" button: the configured actions that carry out a D3FEND countermeasure.
 * Also matches a parent countermeasure id given by the caller (e.g. the knowledge base's subclass closure).
 */
export function actionsForCountermeasure(
  instances: readonly ConnectorInstance[],
  d3fendIds: readonly string[],
): AvailableAction[] {
  const wanted = new Set(d3fendIds.map((id) => id.toUpperCase()));
  const out: AvailableAction[] = [];
  for (const instance of instances) {
    const connector = BY_ID.get(instance.vendor);
    if (!connector) continue;
    for (const kind of actionsOf(instance)) {
      if (!ACTION_COUNTERMEASURES[kind].some((id) => wanted.has(id))) continue;
      out.push({
        instanceId: instance.id,
        instanceLabel: instance.label,
        vendor: connector.id,
        vendorLabel: connector.label,
        action: kind,
        label: ACTION_LABELS[kind],
        countermeasures: countermeasuresOf(kind),
        highImpact: HIGH_IMPACT_ACTIONS.has(kind),
      });
    }
  }
  return out;
}

/** Target types an action of any registered connector accepts (for filtering a page's indicators). */
export function targetTypesFor(instance: ConnectorInstance, kind: ActionKind): readonly TargetType[] {
  return BY_ID.get(instance.vendor)?.actions[kind]?.targets ?? [];
}

export interface CatalogEntry {
  id: string;
  label: string;
  docs: readonly string[];
  actions: Array<{
    action: ActionKind;
    label: string;
    countermeasures: D3fendCountermeasure[];
    targets: readonly TargetType[];
  }>;
  secretFields: readonly string[];
  /** JSON Schema of the settings (zod 4 `toJSONSchema`), for the options page form. */
  settingsJsonSchema: unknown;
}

/** What the options page needs to add an instance of each vendor; no secrets involved. */
export function connectorCatalog(): CatalogEntry[] {
  return CONNECTORS.map((c) => ({
    id: c.id,
    label: c.label,
    docs: c.docs,
    actions: ACTION_KINDS.filter((k) => c.actions[k]).map((k) => ({
      action: k,
      label: ACTION_LABELS[k],
      countermeasures: countermeasuresOf(k),
      targets: c.actions[k]?.targets ?? [],
    })),
    secretFields: c.secretFields,
    settingsJsonSchema: z.toJSONSchema(c.settingsSchema, { io: 'input', unrepresentable: 'any' }),
  }));
}
