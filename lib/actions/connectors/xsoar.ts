/**
 * Cortex XSOAR 6.x and 8.x. Standard API keys: `Authorization: <key>`, plus `x-xdr-auth-id: <key id>` on 8.x,
 * whose routes live under `/xsoar/public/v1` on the tenant's `api-<fqdn>` host (6.x serves them at the root).
 * Advanced (nonce-hashed) keys are not supported.
 *
 * Documentation followed:
 * - 8.x: "Create or update an incident" `POST /xsoar/public/v1/incident` with `{ name, type, severity, details,
 *   labels: [{ type, value }], createInvestigation, playbookId }`; search `POST /xsoar/public/v1/incidents/search`
 *   `{ filter: { query, size } }` -> `{ total, data: [{ id, name }] }`
 *   (https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR-8-API/Create-or-update-an-incident,
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR/8.6/Cortex-XSOAR-On-prem-Documentation/Cortex-XSOAR-API).
 * - 6.x: the same bodies at `POST /incident` and `POST /incidents/search` (demisto-py, the server's API reference
 *   at Settings > Integrations > API Keys).
 * - Run a playbook on an existing incident: `POST /inv-playbook/new/{playbookId}/{incidentId}` (6.x; 8.x under
 *   `/xsoar/…`), as the Polarity and XSOAR Core content packs call it.
 */
import { z } from 'zod';
import { ActionError, type ActionInput, type CallContext, defineConnector, readJson } from '../connector';
import { type ActionResult, OBSERVABLE_TYPES, type TargetType } from '../types';

const settingsSchema = z
  .object({
    version: z.enum(['6', '8']).default('8'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    apiKey: z.string().min(1, 'the API key is required'),
    /** 8.x only: the key's numeric id. */
    apiKeyId: z.string().trim().default(''),
    incidentType: z.string().trim().min(1).default('Unclassified'),
    /** 0 unknown, 0.5 info, 1 low, 2 medium, 3 high, 4 critical. */
    severity: z.number().min(0).max(4).default(3),
    /** Playbook for new incidents (optional) and for `run_playbook`. */
    playbookId: z.string().trim().default(''),
  })
  .refine((s) => s.version === '6' || s.apiKeyId !== '', {
    path: ['apiKeyId'],
    message: 'Cortex XSOAR 8 needs the API key ID',
  });
export type XsoarSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'Cortex XSOAR';

const incident = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().optional(),
});
const searchReply = z.object({
  total: z.number().optional(),
  data: z.array(incident).nullable().default([]),
});

function prefix(s: XsoarSettings): string {
  return s.version === '8' ? '/xsoar/public/v1' : '';
}

function incidentName(input: ActionInput): string {
  return `Riposte: ${input.target.type} ${input.target.value} [${input.operationId}]`;
}

async function findIncident(ctx: CallContext<XsoarSettings>, name: string): Promise<string | undefined> {
  const found = await ctx.call({
    method: 'POST',
    path: `${prefix(ctx.settings)}/incidents/search`,
    body: { filter: { query: `name:"${name.replace(/"/g, '\\"')}"`, size: 5 } },
    idempotent: true,
    purpose: 'search for the incident',
    read: (r) => readJson(searchReply, r, VENDOR, 'search incidents').data ?? [],
  });
  return found.find((i) => i.name === name)?.id;
}

async function createIncident(ctx: CallContext<XsoarSettings>, input: ActionInput): Promise<ActionResult> {
  const s = ctx.settings;
  const name = incidentName(input);
  const playbookId = input.playbook || s.playbookId;
  const labels = [
    { type: 'Indicator', value: input.target.value },
    { type: 'IndicatorType', value: input.target.type },
    ...(input.pageUrl ? [{ type: 'SourcePage', value: input.pageUrl }] : []),
    { type: 'RiposteOperation', value: input.operationId },
  ];
  const id = await ctx.call({
    method: 'POST',
    path: `${prefix(s)}/incident`,
    body: {
      name,
      type: s.incidentType,
      severity: s.severity,
      details: [input.note, input.pageUrl ? `Seen on ${input.pageUrl}` : ''].filter(Boolean).join('\n'),
      labels,
      createInvestigation: true,
      ...(playbookId ? { playbookId } : {}),
    },
    purpose: `create an incident for ${input.target.value}`,
    lookup: () => findIncident(ctx, name),
    read: (r) => readJson(incident, r, VENDOR, 'create the incident').id,
  });
  return {
    status: 'done',
    reference: id,
    message: `${VENDOR} incident ${id} created for ${input.target.value}${playbookId ? ` with playbook ${playbookId}` : ''} (${ctx.instanceLabel}).`,
  };
}

async function runPlaybook(ctx: CallContext<XsoarSettings>, input: ActionInput): Promise<ActionResult> {
  const playbookId = input.playbook || ctx.settings.playbookId;
  if (!playbookId)
    throw new ActionError(
      `No playbook is configured for "${ctx.instanceLabel}" — set one in the options page.`,
    );
  const incidentId = input.target.value.trim();
  if (!/^[\w-]+$/.test(incidentId)) throw new ActionError(`${incidentId} is not an incident id.`);
  const base = ctx.settings.version === '8' ? '/xsoar' : '';
  await ctx.call({
    method: 'POST',
    path: `${base}/inv-playbook/new/${encodeURIComponent(playbookId)}/${encodeURIComponent(incidentId)}`,
    body: {},
    purpose: `run the playbook ${playbookId} on incident ${incidentId}`,
    read: () => undefined,
  });
  return {
    status: 'done',
    reference: incidentId,
    message: `${VENDOR} started the playbook ${playbookId} on incident ${incidentId}.`,
  };
}

const CASE_TARGETS: readonly TargetType[] = [
  ...OBSERVABLE_TYPES.filter((t) => t !== 'btc' && t !== 'asn'),
  'hostname',
];

export const xsoar = defineConnector<XsoarSettings>({
  id: 'xsoar',
  label: VENDOR,
  docs: [
    'https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR-8-API/Create-or-update-an-incident',
    'https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR/8.6/Cortex-XSOAR-On-prem-Documentation/Cortex-XSOAR-API',
  ],
  settingsSchema,
  secretFields: ['apiKey'],
  baseUrl: (s) => s.baseUrl,
  auth: (s) => ({
    kind: 'headers',
    headers: {
      authorization: s.apiKey,
      ...(s.version === '8' ? { 'x-xdr-auth-id': s.apiKeyId } : {}),
    } as Record<string, string>,
  }),
  actions: {
    create_case: {
      targets: CASE_TARGETS,
      describe: (s, i) => [
        `Create a ${s.incidentType} incident (severity ${s.severity}) labelled with ${i.target.type} ${i.target.value}${i.pageUrl ? ' and the page URL' : ''}${i.playbook || s.playbookId ? `, running playbook ${i.playbook || s.playbookId}` : ''}.`,
      ],
      run: createIncident,
    },
    run_playbook: {
      targets: ['incident'],
      describe: (s, i) => [
        `Run the playbook ${i.playbook || s.playbookId || '(none configured)'} on incident ${i.target.value}.`,
      ],
      run: runPlaybook,
    },
  },
  async testConnection(ctx) {
    await ctx.call({
      method: 'POST',
      path: `${prefix(ctx.settings)}/incidents/search`,
      body: { filter: { size: 1 } },
      idempotent: true,
      purpose: 'search one incident',
      read: (r) => readJson(searchReply, r, VENDOR, 'search incidents'),
    });
    return `${VENDOR} ${ctx.settings.version}.x accepted the API key.`;
  },
});
