import { z } from 'zod';
import {
  ActionSettingsSchema,
  HighlightSettingsSchema,
  KnowledgeSettingsSchema,
  type ManagedKey,
  type Settings,
  SitePatternSchema,
} from './schema';

/**
 * Enterprise policy (`storage.managed`, described by public/managed_schema.json) is the top layer: a field an
 * administrator set wins over the analyst's value and is shown locked. Lists that protect (the deny list, the
 * protected list) are combined with the analyst's rather than replaced, so policy can only add protection.
 */
export interface PolicyResult {
  settings: Settings;
  /** Top-level settings fixed by policy; the UI shows them locked. */
  locked: ManagedKey[];
  /** Connector instance ids that come from policy (not editable or removable by the analyst). */
  policyConnectors: string[];
  problems: string[];
}

const ManagedSchema = z.object({
  paused: z.boolean().optional(),
  allowList: z.array(SitePatternSchema).optional(),
  denyList: z.array(SitePatternSchema).optional(),
  highlight: HighlightSettingsSchema.partial().optional(),
  knowledge: KnowledgeSettingsSchema.partial().optional(),
  actions: ActionSettingsSchema.partial().optional(),
});

export function applyPolicy(user: Settings, rawPolicy: unknown): PolicyResult {
  const problems: string[] = [];
  const locked: ManagedKey[] = [];
  const parsed = ManagedSchema.safeParse(rawPolicy ?? {});
  if (!parsed.success) {
    problems.push(
      `The administrator's policy could not be read and was ignored: ${z.prettifyError(parsed.error)}`,
    );
    return { settings: user, locked, policyConnectors: [], problems };
  }
  const policy = parsed.data;
  const settings = structuredClone(user);
  if (policy.paused !== undefined) {
    settings.paused = policy.paused;
    locked.push('paused');
  }
  if (policy.allowList) {
    settings.allowList = policy.allowList;
    locked.push('allowList');
  }
  if (policy.denyList) {
    settings.denyList = unique([...policy.denyList, ...settings.denyList]);
    locked.push('denyList');
  }
  if (policy.highlight) {
    settings.highlight = { ...settings.highlight, ...policy.highlight };
    locked.push('highlight');
  }
  if (policy.knowledge) {
    settings.knowledge = { ...settings.knowledge, ...policy.knowledge };
    locked.push('knowledge');
  }
  const policyConnectors: string[] = [];
  if (policy.actions) {
    const a = policy.actions;
    if (a.protected) settings.actions.protected = unique([...a.protected, ...settings.actions.protected]);
    if (a.auditRetentionDays !== undefined) settings.actions.auditRetentionDays = a.auditRetentionDays;
    if (a.allowedActions) settings.actions.allowedActions = a.allowedActions;
    if (a.connectors) {
      const ids = new Set(a.connectors.map((c) => c.id));
      policyConnectors.push(...ids);
      settings.actions.connectors = [
        ...a.connectors,
        ...settings.actions.connectors.filter((c) => !ids.has(c.id)),
      ];
    }
    locked.push('actions');
  }
  return { settings, locked, policyConnectors, problems };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
