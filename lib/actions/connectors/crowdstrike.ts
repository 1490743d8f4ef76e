/**
 * CrowdStrike Falcon.
 *
 * Documentation followed (Falcon API reference, mirrored by CrowdStrike's PSFalcon / FalconPy):
 * - OAuth2 token: `POST /oauth2/token`, form `client_id`, `client_secret` -> `{ access_token, expires_in }`
 *   https://falcon.crowdstrike.com/documentation/page/a2a7fc0e/crowdstrike-oauth2-based-apis
 * - Hosts: `GET /devices/queries/devices/v1?filter=hostname:'X'` -> `{ resources: [aid] }`;
 *   `GET /devices/entities/devices/v2?ids=aid` -> `{ resources: [{ device_id, hostname, status }] }`
 *   (status `normal` | `containment_pending` | `contained` | `lift_containment_pending`);
 *   `POST /devices/entities/devices-actions/v2?action_name=contain|lift_containment` with `{ ids: [aid] }`
 *   https://developer.crowdstrike.com/api-reference/collections/hosts/#performactionv2
 *   https://github.com/CrowdStrike/psfalcon/wiki/Invoke-FalconHostAction
 * - Custom IOCs (IOC Management): `POST /iocs/entities/indicators/v1` with `{ indicators: [{ type, value, action,
 *   severity, platforms, applied_globally, description, source, comment }] }`;
 *   `GET /iocs/queries/indicators/v1?filter=type:'ipv4'+value:'1.2.3.4'` -> `{ resources: [id] }`;
 *   `DELETE /iocs/entities/indicators/v1?ids=id`. Types `ipv4`, `ipv6`, `domain`, `md5`, `sha256`; actions
 *   `prevent` (block; Falcon applies it to hashes) and `detect`.
 *   https://github.com/CrowdStrike/psfalcon/wiki/New-FalconIoc
 */
import { z } from 'zod';
import { ActionError, type ActionInput, type CallContext, defineConnector, readJson } from '../connector';
import type { ActionResult, ActionTarget, PollHandle } from '../types';

const settingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.crowdstrike.com'),
  clientId: z.string().trim().min(1, 'the API client ID is required'),
  clientSecret: z.string().min(1, 'the API client secret is required'),
  /** Action on hash IOCs. */
  hashAction: z.enum(['prevent', 'detect']).default('prevent'),
  /** Action on IP / domain IOCs. */
  networkAction: z.enum(['prevent', 'detect']).default('detect'),
  severity: z.enum(['informational', 'low', 'medium', 'high', 'critical']).default('high'),
  platforms: z
    .array(z.enum(['windows', 'mac', 'linux']))
    .min(1)
    .default(['windows', 'mac', 'linux']),
});
export type CrowdStrikeSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'CrowdStrike';

const IOC_TYPES: Record<string, string> = {
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  domain: 'domain',
  md5: 'md5',
  sha256: 'sha256',
};

const idsReply = z.object({ resources: z.array(z.string()).nullable().default([]) });
const iocReply = z.object({
  resources: z
    .array(z.object({ id: z.string(), type: z.string(), value: z.string() }))
    .nullable()
    .default([]),
  errors: z
    .array(z.object({ code: z.number().optional(), message: z.string() }))
    .nullable()
    .optional(),
});
const deviceReply = z.object({
  resources: z
    .array(z.object({ device_id: z.string(), hostname: z.string().optional(), status: z.string() }))
    .default([]),
});

function iocType(target: ActionTarget): string {
  const type = IOC_TYPES[target.type];
  if (!type) throw new ActionError(`${VENDOR} custom IOCs do not support ${target.type} indicators.`);
  return type;
}

function fqlString(value: string): string {
  // FQL string literals are single-quoted; a quote inside the value is escaped with a backslash
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function findIoc(
  ctx: CallContext<CrowdStrikeSettings>,
  target: ActionTarget,
): Promise<string | undefined> {
  return ctx.call({
    method: 'GET',
    path: '/iocs/queries/indicators/v1',
    query: { filter: `type:${fqlString(iocType(target))}+value:${fqlString(target.value)}` },
    purpose: `look up the custom IOC ${target.value}`,
    read: (reply) => readJson(idsReply, reply, VENDOR, 'look up the custom IOC').resources?.[0],
  });
}

function iocAction(settings: CrowdStrikeSettings, target: ActionTarget): 'prevent' | 'detect' {
  return target.type === 'md5' || target.type === 'sha256' ? settings.hashAction : settings.networkAction;
}

async function createIoc(ctx: CallContext<CrowdStrikeSettings>, input: ActionInput): Promise<ActionResult> {
  const { target } = input;
  const action = iocAction(ctx.settings, target);
  const existing = await findIoc(ctx, target);
  if (existing) {
    return {
      status: 'done',
      reference: existing,
      message: `${target.value} was already a custom IOC in ${ctx.instanceLabel}.`,
    };
  }
  const description = [input.note, input.pageUrl ? `Seen on ${input.pageUrl}` : '']
    .filter(Boolean)
    .join(' — ');
  const id = await ctx.call({
    method: 'POST',
    path: '/iocs/entities/indicators/v1',
    body: {
      comment: `Riposte ${input.operationId}`,
      indicators: [
        {
          type: iocType(target),
          value: target.value,
          action,
          severity: ctx.settings.severity,
          platforms: ctx.settings.platforms,
          applied_globally: true,
          source: 'Riposte',
          description: description || 'Blocked from Riposte',
        },
      ],
    },
    purpose: `create the custom IOC ${target.value}`,
    lookup: () => findIoc(ctx, target),
    accept: [400],
    read: (reply) => {
      const parsed = readJson(iocReply, reply, VENDOR, 'create the custom IOC');
      const created = parsed.resources?.[0]?.id;
      if (created) return created;
      const message = parsed.errors?.[0]?.message ?? `HTTP ${reply.status}`;
      if (/duplicate/i.test(message)) return 'duplicate';
      throw new ActionError(`${VENDOR} rejected the custom IOC ${target.value}: ${message}.`, reply.status);
    },
  });
  const reference = id === 'duplicate' ? ((await findIoc(ctx, target)) ?? 'existing') : id;
  return {
    status: 'done',
    reference,
    message: `${VENDOR} now applies "${action}" to ${target.value} (${ctx.instanceLabel}).`,
  };
}

async function deleteIoc(ctx: CallContext<CrowdStrikeSettings>, input: ActionInput): Promise<ActionResult> {
  const id = await findIoc(ctx, input.target);
  if (!id)
    return {
      status: 'done',
      message: `${input.target.value} was not a custom IOC in ${ctx.instanceLabel}; nothing to remove.`,
    };
  await ctx.call({
    method: 'DELETE',
    path: '/iocs/entities/indicators/v1',
    query: { ids: id, comment: `Riposte ${input.operationId}` },
    purpose: `delete the custom IOC ${input.target.value}`,
    accept: [404],
    read: () => undefined,
  });
  return {
    status: 'done',
    reference: id,
    message: `${VENDOR} no longer lists ${input.target.value} (${ctx.instanceLabel}).`,
  };
}

async function findHost(ctx: CallContext<CrowdStrikeSettings>, hostname: string): Promise<string> {
  const ids = await ctx.call({
    method: 'GET',
    path: '/devices/queries/devices/v1',
    query: { filter: `hostname:${fqlString(hostname)}` },
    purpose: `find the host ${hostname}`,
    read: (reply) => readJson(idsReply, reply, VENDOR, 'find the host').resources ?? [],
  });
  if (ids.length === 0)
    throw new ActionError(`${VENDOR} has no host named ${hostname} — check the spelling or the tenant.`);
  if (ids.length > 1) {
    throw new ActionError(
      `${VENDOR} has ${ids.length} hosts named ${hostname}; Riposte will not guess — act from the Falcon console.`,
    );
  }
  return ids[0] as string;
}

async function hostAction(
  ctx: CallContext<CrowdStrikeSettings>,
  input: ActionInput,
  actionName: 'contain' | 'lift_containment',
): Promise<ActionResult> {
  const hostname = input.target.value;
  const aid = await findHost(ctx, hostname);
  await ctx.call({
    method: 'POST',
    path: '/devices/entities/devices-actions/v2',
    query: { action_name: actionName },
    body: { ids: [aid] },
    // containing a contained host (or lifting a lifted one) changes nothing: safe to repeat
    idempotent: true,
    purpose: `${actionName === 'contain' ? 'contain' : 'lift containment of'} ${hostname}`,
    read: (reply) =>
      readJson(z.object({ resources: z.array(z.unknown()).nullable() }), reply, VENDOR, actionName),
  });
  return {
    status: 'pending',
    reference: aid,
    message: `${VENDOR} accepted the request to ${actionName === 'contain' ? 'contain' : 'release'} ${hostname}; waiting for the sensor.`,
    poll: { state: { aid, hostname, want: actionName === 'contain' ? 'contained' : 'normal' } },
  };
}

async function pollHost(ctx: CallContext<CrowdStrikeSettings>, handle: PollHandle): Promise<ActionResult> {
  const { aid = '', hostname = aid, want = 'contained' } = handle.state;
  const status = await ctx.call({
    method: 'GET',
    path: '/devices/entities/devices/v2',
    query: { ids: aid },
    purpose: `read the containment status of ${hostname}`,
    read: (reply) => readJson(deviceReply, reply, VENDOR, 'read the host status').resources[0]?.status,
  });
  if (status === want) {
    return {
      status: 'done',
      reference: aid,
      message:
        want === 'contained'
          ? `${hostname} is contained by ${VENDOR}.`
          : `${hostname} is released from containment.`,
    };
  }
  if (status === undefined)
    return { status: 'failed', reference: aid, message: `${VENDOR} no longer knows the host ${hostname}.` };
  return {
    status: 'pending',
    reference: aid,
    message: `${hostname}: ${status.replace(/_/g, ' ')}.`,
    poll: handle,
  };
}

export const crowdstrike = defineConnector<CrowdStrikeSettings>({
  id: 'crowdstrike',
  label: VENDOR,
  docs: [
    'https://developer.crowdstrike.com/api-reference/collections/hosts/#performactionv2',
    'https://github.com/CrowdStrike/psfalcon/wiki/New-FalconIoc',
  ],
  settingsSchema,
  secretFields: ['clientSecret'],
  baseUrl: (s) => s.baseUrl,
  auth: (s) => ({
    kind: 'oauth2',
    tokenUrl: new URL('oauth2/token', s.baseUrl.endsWith('/') ? s.baseUrl : `${s.baseUrl}/`).toString(),
    clientId: s.clientId,
    clientSecret: s.clientSecret,
  }),
  actions: {
    block_ip: {
      targets: ['ipv4', 'ipv6'],
      describe: (s, i) => [
        `Create a custom IOC ${iocType(i.target)} ${i.target.value}, action "${iocAction(s, i.target)}", severity ${s.severity}, on ${s.platforms.join(', ')}, all host groups.`,
      ],
      run: createIoc,
    },
    block_domain: {
      targets: ['domain'],
      describe: (s, i) => [
        `Create a custom IOC domain ${i.target.value}, action "${iocAction(s, i.target)}", severity ${s.severity}, all host groups.`,
      ],
      run: createIoc,
    },
    block_hash: {
      targets: ['md5', 'sha256'],
      describe: (s, i) => [
        `Create a custom IOC ${i.target.type} ${i.target.value}, action "${iocAction(s, i.target)}", on ${s.platforms.join(', ')}, all host groups.`,
      ],
      run: createIoc,
    },
    unblock_ip: {
      targets: ['ipv4', 'ipv6'],
      describe: (_s, i) => [`Delete the custom IOC for ${i.target.value}.`],
      run: deleteIoc,
    },
    unblock_domain: {
      targets: ['domain'],
      describe: (_s, i) => [`Delete the custom IOC for ${i.target.value}.`],
      run: deleteIoc,
    },
    unblock_hash: {
      targets: ['md5', 'sha256'],
      describe: (_s, i) => [`Delete the custom IOC for ${i.target.value}.`],
      run: deleteIoc,
    },
    isolate_host: {
      targets: ['hostname'],
      describe: (_s, i) => [
        `Look up the host named ${i.target.value}.`,
        `Network-contain it (only the Falcon cloud stays reachable) and follow its status until it is contained.`,
      ],
      run: (ctx, input) => hostAction(ctx, input, 'contain'),
      poll: pollHost,
    },
    release_host: {
      targets: ['hostname'],
      describe: (_s, i) => [`Look up the host named ${i.target.value}.`, 'Lift its network containment.'],
      run: (ctx, input) => hostAction(ctx, input, 'lift_containment'),
      poll: pollHost,
    },
  },
  async testConnection(ctx) {
    await ctx.call({
      method: 'GET',
      path: '/devices/queries/devices/v1',
      query: { limit: '1' },
      purpose: 'list one host',
      read: (reply) => readJson(idsReply, reply, VENDOR, 'list one host'),
    });
    return `${VENDOR} accepted the API client and answered a host query.`;
  },
});
