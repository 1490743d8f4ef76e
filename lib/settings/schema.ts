import { z } from 'zod';

/**
 * Riposte's settings: parsed, never trusted. Every field has a default so that a missing, partial or older stored
 * object still yields complete settings. Secrets are NOT here (see `secrets.ts`): settings are readable by every
 * extension page, secrets only by the background.
 */
export const SETTINGS_VERSION = 1;

/** A site pattern: a host (`example.com`, also matching its subdomains), a host glob (`*.corp.example`), or a URL glob. */
export const SitePatternSchema = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .refine((p) => !/\s/.test(p), 'a site pattern has no spaces');

export const DEFAULT_SOURCES = {
  enterprise:
    'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json',
  mobile:
    'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/mobile-attack/mobile-attack.json',
  ics: 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/ics-attack/ics-attack.json',
  d3fend: 'https://d3fend.mitre.org/ontologies/d3fend.ttl',
} as const;

const HttpUrl = z.url({ protocol: /^https?$/ });

export const KnowledgeSettingsSchema = z.object({
  enterpriseUrl: HttpUrl.default(DEFAULT_SOURCES.enterprise),
  includeMobile: z.boolean().default(false),
  mobileUrl: HttpUrl.default(DEFAULT_SOURCES.mobile),
  includeIcs: z.boolean().default(false),
  icsUrl: HttpUrl.default(DEFAULT_SOURCES.ics),
  d3fendUrl: HttpUrl.default(DEFAULT_SOURCES.d3fend),
  /** Download on first run and check weekly for a changed source. Off for air-gapped networks. */
  autoUpdate: z.boolean().default(true),
});

export const HighlightSettingsSchema = z.object({
  network: z.boolean().default(true),
  hash: z.boolean().default(true),
  attack: z.boolean().default(true),
  d3fend: z.boolean().default(true),
  vulnerability: z.boolean().default(true),
});

/** A configured connector instance, without its secrets. The vendor's own schema validates `settings`. */
export const ConnectorInstanceSchema = z.object({
  id: z.string().min(1).max(64),
  vendor: z.string().min(1).max(64),
  label: z.string().min(1).max(120),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Which of the vendor's actions this instance offers. */
  actions: z.array(z.string()).default([]),
  /** Secrets kept for this browser session only (never written to disk). */
  sessionOnlySecrets: z.boolean().default(false),
});
export type ConnectorInstance = z.infer<typeof ConnectorInstanceSchema>;

export const ActionSettingsSchema = z.object({
  connectors: z.array(ConnectorInstanceSchema).default([]),
  /** Never act on these: domains (with subdomains), IPs, CIDRs, hashes. */
  protected: z.array(z.string().trim().min(1).max(512)).default([]),
  auditRetentionDays: z.number().int().min(1).max(3650).default(90),
  /** When set by policy: the only actions that exist in this deployment. */
  allowedActions: z.array(z.string()).optional(),
});

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  /** Paused everywhere. */
  paused: z.boolean().default(false),
  /** Hosts where the analyst paused Riposte from the panel or toolbar. */
  pausedSites: z.array(z.string().trim().toLowerCase().min(1).max(253)).default([]),
  /** When non-empty, Riposte scans only sites matching one of these patterns. */
  allowList: z.array(SitePatternSchema).default([]),
  /** Riposte never scans sites matching these patterns. */
  denyList: z.array(SitePatternSchema).default([]),
  highlight: HighlightSettingsSchema.default(HighlightSettingsSchema.parse({})),
  knowledge: KnowledgeSettingsSchema.default(KnowledgeSettingsSchema.parse({})),
  actions: ActionSettingsSchema.default(ActionSettingsSchema.parse({})),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** Top-level keys an administrator may set through `storage.managed` (see public/managed_schema.json). */
export const MANAGED_KEYS = ['paused', 'allowList', 'denyList', 'highlight', 'knowledge', 'actions'] as const;
export type ManagedKey = (typeof MANAGED_KEYS)[number];
