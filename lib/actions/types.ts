/**
 * Vocabulary shared by the response framework: action kinds, the D3FEND countermeasures each carries out, targets,
 * results. Pure: no browser API, no network.
 */
import { INDICATOR_TYPES, type IndicatorType, type IpScope, isKnowledgeId } from '../detect/types';

export const ACTION_KINDS = [
  'block_ip',
  'block_domain',
  'block_url',
  'block_hash',
  'isolate_host',
  'release_host',
  'create_case',
  'run_playbook',
  'unblock_ip',
  'unblock_domain',
  'unblock_url',
  'unblock_hash',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What undoes what. `release_host` and `unblock_*` are actions in their own right (with their own confirmation). */
export const UNDO_OF: Readonly<Partial<Record<ActionKind, ActionKind>>> = {
  block_ip: 'unblock_ip',
  block_domain: 'unblock_domain',
  block_url: 'unblock_url',
  block_hash: 'unblock_hash',
  isolate_host: 'release_host',
};

/** Human labels for buttons and confirmations. */
export const ACTION_LABELS: Readonly<Record<ActionKind, string>> = {
  block_ip: 'Block IP address',
  block_domain: 'Block domain',
  block_url: 'Block URL',
  block_hash: 'Block file hash',
  isolate_host: 'Isolate host',
  release_host: 'Release host from isolation',
  create_case: 'Open a case',
  run_playbook: 'Run playbook',
  unblock_ip: 'Unblock IP address',
  unblock_domain: 'Unblock domain',
  unblock_url: 'Unblock URL',
  unblock_hash: 'Unblock file hash',
};

/** Actions that change what endpoints or networks may do; they pass the guardrails first. */
export const MUTATING_ACTIONS: ReadonlySet<ActionKind> = new Set([
  'block_ip',
  'block_domain',
  'block_url',
  'block_hash',
  'isolate_host',
]);

/** Actions that need a second, explicit confirmation naming the host. */
export const HIGH_IMPACT_ACTIONS: ReadonlySet<ActionKind> = new Set(['isolate_host']);

export interface D3fendCountermeasure {
  id: string;
  name: string;
}

/**
 * Ids and names as published in the D3FEND ontology (`d3fend-protege.ttl`, `:d3fend-id` / `rdfs:label`).
 * `block_url` maps to Outbound Traffic Filtering (D3-OTF, "restricting network traffic … destined towards
 * untrusted networks"): D3-UA is "URL Analysis", a detective technique, not a block.
 */
export const D3FEND: Readonly<Record<string, D3fendCountermeasure>> = {
  'D3-NI': { id: 'D3-NI', name: 'Network Isolation' },
  'D3-ITF': { id: 'D3-ITF', name: 'Inbound Traffic Filtering' },
  'D3-OTF': { id: 'D3-OTF', name: 'Outbound Traffic Filtering' },
  'D3-DNSDL': { id: 'D3-DNSDL', name: 'DNS Denylisting' },
  'D3-EDL': { id: 'D3-EDL', name: 'Executable Denylisting' },
};

/** The countermeasures an action carries out, whichever vendor performs it. Undo actions carry none. */
export const ACTION_COUNTERMEASURES: Readonly<Record<ActionKind, readonly string[]>> = {
  block_ip: ['D3-ITF', 'D3-OTF'],
  block_domain: ['D3-DNSDL'],
  block_url: ['D3-OTF'],
  block_hash: ['D3-EDL'],
  isolate_host: ['D3-NI'],
  release_host: [],
  create_case: [],
  run_playbook: [],
  unblock_ip: [],
  unblock_domain: [],
  unblock_url: [],
  unblock_hash: [],
};

/**
 * What an action acts on: an indicator, a host name typed or picked by the analyst (console host names rarely look
 * like indicators), or an existing case / incident id (for `run_playbook` on a SOAR incident).
 */
export type TargetType = IndicatorType | 'hostname' | 'incident';

/** Indicator types that are observables (not ATT&CK / D3FEND ids), in the contract's order. */
export const OBSERVABLE_TYPES: readonly IndicatorType[] = INDICATOR_TYPES.filter((t) => !isKnowledgeId(t));

export interface ActionTarget {
  type: TargetType;
  value: string;
  scope?: IpScope;
}

export type ResultStatus = 'pending' | 'done' | 'failed';

export interface ActionResult {
  status: ResultStatus;
  /** The vendor's id for what was created or started (IOC id, machine action id, case id). */
  reference?: string;
  /** A sentence a person can act on. Never contains a secret. */
  message: string;
  /** For `pending`: what to poll, opaque to everything but the connector. */
  poll?: PollHandle;
  /** On `failed`: the failure was transient (network, rate limit, 5xx); a status poll may try again later. */
  retryable?: boolean;
}

export interface PollHandle {
  /** The connector's own state (e.g. `{ actionId }`), JSON-serialisable: it is stored in IndexedDB. */
  state: Record<string, string>;
}

/** A configured connector instance (two tenants of one vendor are two instances). */
export interface ConnectorInstance {
  id: string;
  label: string;
  vendor: string;
  /** Raw settings; parsed by the connector's schema before use. Holds secrets: background only. */
  settings: unknown;
  /** The actions the analyst or the administrator enabled for this instance. */
  enabledActions: ActionKind[];
}
