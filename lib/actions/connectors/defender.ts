/**
 * Microsoft Defender for Endpoint.
 *
 * Documentation followed (learn.microsoft.com/defender-endpoint/api/…):
 * - Token: Entra ID client-credentials, `POST {authority}/{tenant}/oauth2/v2.0/token`, scope
 *   `https://api.securitycenter.microsoft.com/.default` (exposed-apis-create-app-webapp).
 * - Machines: `GET /api/machines?$filter=computerDnsName eq 'x'` (get-machines, OData `$filter`).
 * - Isolate / release: `POST /api/machines/{id}/isolate` `{ Comment, IsolationType: Full|Selective }` and
 *   `POST /api/machines/{id}/unisolate` `{ Comment }` -> a machineAction (isolate-machine, unisolate-machine).
 * - Machine actions: `GET /api/machineactions/{id}`, status Pending | InProgress | Succeeded | Failed | TimeOut |
 *   Cancelled; `GET /api/machineactions?$filter=machineId eq '…' and type eq 'Isolate'` (get-machineactions-collection).
 * - Indicators: `POST /api/indicators` `{ indicatorValue, indicatorType: FileSha1|FileMd5|FileSha256|IpAddress|
 *   DomainName|Url, action: Block|AlertAndBlock|…, title, description, severity, generateAlert }` — "Submit or
 *   Update": the same value and type updates the existing indicator, so repeating it is harmless
 *   (post-ti-indicator); `GET /api/indicators?$filter=indicatorValue eq '…'` (get-ti-indicators-collection);
 *   `DELETE /api/indicators/{id}` (delete-ti-indicator-by-id).
 */
import { z } from 'zod';
import { ActionError, type ActionInput, type CallContext, defineConnector, readJson } from '../connector';
import type { ActionResult, ActionTarget, PollHandle } from '../types';

const settingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.securitycenter.microsoft.com'),
  /** Token endpoint; `{tenant}` is replaced by the tenant id (sovereign clouds use another authority). */
  tokenUrl: z
    .string()
    .default('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token')
    .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL'),
  tenantId: z.string().trim().min(1, 'the Entra ID tenant id is required'),
  clientId: z.string().trim().min(1, 'the application (client) id is required'),
  clientSecret: z.string().min(1, 'the client secret is required'),
  scope: z.string().default('https://api.securitycenter.microsoft.com/.default'),
  indicatorAction: z.enum(['Block', 'AlertAndBlock']).default('AlertAndBlock'),
  severity: z.enum(['Informational', 'Low', 'Medium', 'High']).default('High'),
  isolationType: z.enum(['Full', 'Selective']).default('Full'),
});
export type DefenderSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'Microsoft Defender for Endpoint';

const INDICATOR_TYPES: Record<string, string> = {
  ipv4: 'IpAddress',
  ipv6: 'IpAddress',
  domain: 'DomainName',
  url: 'Url',
  md5: 'FileMd5',
  sha1: 'FileSha1',
  sha256: 'FileSha256',
};

const indicatorSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  indicatorValue: z.string(),
  indicatorType: z.string(),
});
const indicatorList = z.object({ value: z.array(indicatorSchema) });
const machineList = z.object({
  value: z.array(z.object({ id: z.string(), computerDnsName: z.string().nullable().optional() })),
});
const machineAction = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  machineId: z.string().optional(),
});
const machineActionList = z.object({ value: z.array(machineAction) });

function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function indicatorType(target: ActionTarget): string {
  const type = INDICATOR_TYPES[target.type];
  if (!type) throw new ActionError(`${VENDOR} indicators do not support ${target.type}.`);
  return type;
}

async function findIndicator(
  ctx: CallContext<DefenderSettings>,
  target: ActionTarget,
): Promise<string | undefined> {
  const type = indicatorType(target);
  const list = await ctx.call({
    method: 'GET',
    path: '/api/indicators',
    query: { $filter: `indicatorValue eq ${odataString(target.value)}` },
    purpose: `look up the indicator ${target.value}`,
    read: (reply) => readJson(indicatorList, reply, VENDOR, 'look up the indicator').value,
  });
  return list.find((i) => i.indicatorType === type)?.id;
}

async function submitIndicator(
  ctx: CallContext<DefenderSettings>,
  input: ActionInput,
): Promise<ActionResult> {
  const { target } = input;
  const s = ctx.settings;
  const description = [
    input.note,
    input.pageUrl ? `Seen on ${input.pageUrl}` : '',
    `Riposte operation ${input.operationId}`,
  ]
    .filter(Boolean)
    .join(' — ');
  const id = await ctx.call({
    method: 'POST',
    path: '/api/indicators',
    body: {
      indicatorValue: target.value,
      indicatorType: indicatorType(target),
      action: s.indicatorAction,
      title: `Riposte: ${target.value}`,
      description,
      severity: s.severity,
      generateAlert: s.indicatorAction === 'AlertAndBlock',
      application: 'Riposte',
    },
    // "Submit or Update": the vendor keys indicators on value + type, a repeat updates the same one
    idempotent: true,
    purpose: `submit the indicator ${target.value}`,
    read: (reply) => readJson(indicatorSchema, reply, VENDOR, 'submit the indicator').id,
  });
  return {
    status: 'done',
    reference: id,
    message: `${VENDOR} now applies ${s.indicatorAction} to ${target.value} (${ctx.instanceLabel}).`,
  };
}

async function deleteIndicator(
  ctx: CallContext<DefenderSettings>,
  input: ActionInput,
): Promise<ActionResult> {
  const id = await findIndicator(ctx, input.target);
  if (!id)
    return {
      status: 'done',
      message: `${input.target.value} was not an indicator in ${ctx.instanceLabel}; nothing to remove.`,
    };
  await ctx.call({
    method: 'DELETE',
    path: `/api/indicators/${encodeURIComponent(id)}`,
    accept: [404],
    purpose: `delete the indicator ${input.target.value}`,
    read: () => undefined,
  });
  return {
    status: 'done',
    reference: id,
    message: `${VENDOR} no longer lists ${input.target.value} (${ctx.instanceLabel}).`,
  };
}

async function findMachine(ctx: CallContext<DefenderSettings>, name: string): Promise<string> {
  const query = async (filter: string) =>
    ctx.call({
      method: 'GET',
      path: '/api/machines',
      query: { $filter: filter },
      purpose: `find the device ${name}`,
      read: (reply) => readJson(machineList, reply, VENDOR, 'find the device').value,
    });
  const lower = name.toLowerCase();
  let found = await query(`computerDnsName eq ${odataString(lower)}`);
  if (found.length === 0 && !lower.includes('.')) {
    // consoles often show the short name; Defender stores the FQDN
    found = await query(`startswith(computerDnsName,${odataString(`${lower}.`)})`);
  }
  if (found.length === 0)
    throw new ActionError(`${VENDOR} has no device named ${name} — check the spelling or the tenant.`);
  if (found.length > 1) {
    throw new ActionError(
      `${VENDOR} has ${found.length} devices matching ${name}; Riposte will not guess — act from the Defender portal.`,
    );
  }
  return (found[0] as { id: string }).id;
}

async function machineRequest(
  ctx: CallContext<DefenderSettings>,
  input: ActionInput,
  kind: 'isolate' | 'unisolate',
): Promise<ActionResult> {
  const name = input.target.value;
  const machineId = await findMachine(ctx, name);
  const type = kind === 'isolate' ? 'Isolate' : 'Unisolate';
  const findActive = async () => {
    const actions = await ctx.call({
      method: 'GET',
      path: '/api/machineactions',
      query: { $filter: `machineId eq ${odataString(machineId)} and type eq '${type}'` },
      purpose: `look up the ${type} action on ${name}`,
      read: (reply) => readJson(machineActionList, reply, VENDOR, 'list machine actions').value,
    });
    return actions.find((a) => a.status === 'Pending' || a.status === 'InProgress');
  };
  const comment = [`Riposte ${input.operationId}`, input.note, input.pageUrl].filter(Boolean).join(' — ');
  const action = await ctx.call({
    method: 'POST',
    path: `/api/machines/${encodeURIComponent(machineId)}/${kind}`,
    body:
      kind === 'isolate'
        ? { Comment: comment, IsolationType: ctx.settings.isolationType }
        : { Comment: comment },
    purpose: `${kind} ${name}`,
    lookup: findActive,
    // Defender refuses a second request while one is active: follow the active one instead
    accept: [400],
    read: (reply) => {
      if (reply.status === 400) return undefined;
      return readJson(machineAction, reply, VENDOR, kind);
    },
  });
  const started = action ?? (await findActive());
  if (!started)
    throw new ActionError(
      `${VENDOR} refused to ${kind} ${name} and has no such action in progress — check the device in the portal.`,
    );
  return {
    status: 'pending',
    reference: started.id,
    message: `${VENDOR} accepted the ${kind === 'isolate' ? 'isolation' : 'release'} of ${name} (${started.status}).`,
    poll: { state: { actionId: started.id, name } },
  };
}

async function pollMachineAction(
  ctx: CallContext<DefenderSettings>,
  handle: PollHandle,
): Promise<ActionResult> {
  const { actionId = '', name = actionId } = handle.state;
  const action = await ctx.call({
    method: 'GET',
    path: `/api/machineactions/${encodeURIComponent(actionId)}`,
    purpose: `read the status of the action on ${name}`,
    read: (reply) => readJson(machineAction, reply, VENDOR, 'read the machine action'),
  });
  const verb = action.type === 'Isolate' ? 'isolated' : 'released from isolation';
  switch (action.status) {
    case 'Succeeded':
      return { status: 'done', reference: actionId, message: `${name} is ${verb} (${VENDOR}).` };
    case 'Pending':
    case 'InProgress':
      return { status: 'pending', reference: actionId, message: `${name}: ${action.status}.`, poll: handle };
    default:
      return {
        status: 'failed',
        reference: actionId,
        message: `${VENDOR} reports the action on ${name} as ${action.status} — check the device in the portal.`,
      };
  }
}

function indicatorLine(s: DefenderSettings, i: ActionInput): string[] {
  return [
    `Submit a ${INDICATOR_TYPES[i.target.type] ?? i.target.type} indicator ${i.target.value} with action ${s.indicatorAction}, severity ${s.severity}.`,
  ];
}

export const defender = defineConnector<DefenderSettings>({
  id: 'defender',
  label: VENDOR,
  docs: [
    'https://learn.microsoft.com/en-us/defender-endpoint/api/isolate-machine',
    'https://learn.microsoft.com/en-us/defender-endpoint/api/post-ti-indicator',
    'https://learn.microsoft.com/en-us/defender-endpoint/api/get-machineaction-object',
  ],
  settingsSchema,
  secretFields: ['clientSecret'],
  baseUrl: (s) => s.baseUrl,
  auth: (s) => ({
    kind: 'oauth2',
    tokenUrl: s.tokenUrl.replace('{tenant}', encodeURIComponent(s.tenantId)),
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    scope: s.scope,
  }),
  actions: {
    block_ip: { targets: ['ipv4', 'ipv6'], describe: indicatorLine, run: submitIndicator },
    block_domain: { targets: ['domain'], describe: indicatorLine, run: submitIndicator },
    block_url: { targets: ['url'], describe: indicatorLine, run: submitIndicator },
    block_hash: { targets: ['md5', 'sha1', 'sha256'], describe: indicatorLine, run: submitIndicator },
    unblock_ip: {
      targets: ['ipv4', 'ipv6'],
      describe: (_s, i) => [`Delete the indicator ${i.target.value}.`],
      run: deleteIndicator,
    },
    unblock_domain: {
      targets: ['domain'],
      describe: (_s, i) => [`Delete the indicator ${i.target.value}.`],
      run: deleteIndicator,
    },
    unblock_url: {
      targets: ['url'],
      describe: (_s, i) => [`Delete the indicator ${i.target.value}.`],
      run: deleteIndicator,
    },
    unblock_hash: {
      targets: ['md5', 'sha1', 'sha256'],
      describe: (_s, i) => [`Delete the indicator ${i.target.value}.`],
      run: deleteIndicator,
    },
    isolate_host: {
      targets: ['hostname'],
      describe: (s, i) => [
        `Look up the device named ${i.target.value}.`,
        `${s.isolationType} isolation of it (only the Defender service stays reachable), followed until the action succeeds.`,
      ],
      run: (ctx, input) => machineRequest(ctx, input, 'isolate'),
      poll: pollMachineAction,
    },
    release_host: {
      targets: ['hostname'],
      describe: (_s, i) => [`Look up the device named ${i.target.value}.`, 'Release it from isolation.'],
      run: (ctx, input) => machineRequest(ctx, input, 'unisolate'),
      poll: pollMachineAction,
    },
  },
  async testConnection(ctx) {
    await ctx.call({
      method: 'GET',
      path: '/api/machines',
      query: { $top: '1' },
      purpose: 'list one device',
      read: (reply) => readJson(machineList, reply, VENDOR, 'list one device'),
    });
    return `${VENDOR} issued a token and answered a device query.`;
  },
});
