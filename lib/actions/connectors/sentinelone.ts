/**
 * SentinelOne (Singularity management API v2.1), API token auth (`Authorization: ApiToken <token>`).
 *
 * Documentation followed (the console's API docs at `<console>/api-doc`, mirrored by the SentinelOne v2 XSOAR
 * integration https://xsoar.pan.dev/docs/reference/integrations/sentinel-one-v2 and PS-SentinelOne):
 * - Agents: `GET /web/api/v2.1/agents?computerName=X` -> `{ data: [{ id, computerName, networkStatus }] }`,
 *   `networkStatus` connected | connecting | disconnecting | disconnected.
 * - Network quarantine: `POST /web/api/v2.1/agents/actions/disconnect` and `…/connect` with
 *   `{ filter: { ids: [agentId] }, data: {} }` -> `{ data: { affected: n } }`.
 * - Blocklist: `POST /web/api/v2.1/restrictions` with `{ data: { type: 'black_hash', value, osType, description,
 *   source }, filter: { tenant: true } | { siteIds } }`; `GET /web/api/v2.1/restrictions?type=black_hash&value=…
 *   &osTypes=…`; `DELETE /web/api/v2.1/restrictions` with `{ data: { type: 'black_hash', ids } }`. One entry per OS
 *   type (windows, macos, linux).
 */
import { z } from 'zod';
import { ActionError, type ActionInput, type CallContext, defineConnector, readJson } from '../connector';
import type { ActionResult, PollHandle } from '../types';

const OS_TYPES = ['windows', 'macos', 'linux'] as const;

const settingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiToken: z.string().min(1, 'the API token is required'),
  osTypes: z
    .array(z.enum(OS_TYPES))
    .min(1)
    .default([...OS_TYPES]),
  /** Blocklist scope: empty = the whole tenant (needs a tenant-scoped token). */
  siteIds: z.array(z.string()).default([]),
});
export type SentinelOneSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'SentinelOne';
const API = '/web/api/v2.1';

const agentList = z.object({
  data: z.array(
    z.object({ id: z.string(), computerName: z.string(), networkStatus: z.string().nullable().optional() }),
  ),
});
const restrictionList = z.object({
  data: z.array(
    z.object({ id: z.string(), value: z.string(), osType: z.string(), type: z.string().optional() }),
  ),
});
const affected = z.object({ data: z.object({ affected: z.number() }) });

function scopeFilter(s: SentinelOneSettings): Record<string, unknown> {
  return s.siteIds.length > 0 ? { siteIds: s.siteIds } : { tenant: true };
}

async function findBlock(ctx: CallContext<SentinelOneSettings>, value: string, osType: string) {
  const list = await ctx.call({
    method: 'GET',
    path: `${API}/restrictions`,
    query: { type: 'black_hash', value, osTypes: osType },
    purpose: `look up ${value} in the ${osType} blocklist`,
    read: (reply) => readJson(restrictionList, reply, VENDOR, 'look up the blocklist').data,
  });
  return list.find((r) => r.value.toLowerCase() === value.toLowerCase() && r.osType === osType)?.id;
}

async function blockHash(ctx: CallContext<SentinelOneSettings>, input: ActionInput): Promise<ActionResult> {
  const value = input.target.value.toLowerCase();
  const refs: string[] = [];
  const added: string[] = [];
  for (const osType of ctx.settings.osTypes) {
    const existing = await findBlock(ctx, value, osType);
    if (existing) {
      refs.push(existing);
      continue;
    }
    const id = await ctx.call({
      method: 'POST',
      path: `${API}/restrictions`,
      body: {
        data: {
          type: 'black_hash',
          value,
          osType,
          source: 'user',
          description: [input.note, input.pageUrl, `Riposte ${input.operationId}`]
            .filter(Boolean)
            .join(' — ')
            .slice(0, 4000),
        },
        filter: scopeFilter(ctx.settings),
      },
      purpose: `add ${value} to the ${osType} blocklist`,
      lookup: () => findBlock(ctx, value, osType),
      read: (reply) => {
        const created = readJson(restrictionList, reply, VENDOR, 'add to the blocklist').data[0]?.id;
        if (!created) throw new ActionError(`${VENDOR} accepted the blocklist entry but returned no id.`);
        return created;
      },
    });
    refs.push(id);
    added.push(osType);
  }
  return {
    status: 'done',
    reference: refs.join(','),
    message:
      added.length > 0
        ? `${VENDOR} blocks ${value} on ${added.join(', ')} (${ctx.instanceLabel}).`
        : `${value} was already on the ${VENDOR} blocklist for ${ctx.settings.osTypes.join(', ')}.`,
  };
}

async function unblockHash(ctx: CallContext<SentinelOneSettings>, input: ActionInput): Promise<ActionResult> {
  const value = input.target.value.toLowerCase();
  const ids: string[] = [];
  for (const osType of ctx.settings.osTypes) {
    const id = await findBlock(ctx, value, osType);
    if (id) ids.push(id);
  }
  if (ids.length === 0)
    return { status: 'done', message: `${value} was not on the ${VENDOR} blocklist; nothing to remove.` };
  await ctx.call({
    method: 'DELETE',
    path: `${API}/restrictions`,
    body: { data: { type: 'black_hash', ids } },
    purpose: `remove ${value} from the blocklist`,
    read: (reply) => readJson(affected, reply, VENDOR, 'remove from the blocklist'),
  });
  return {
    status: 'done',
    reference: ids.join(','),
    message: `${VENDOR} no longer blocks ${value} (${ids.length} entries removed).`,
  };
}

async function findAgent(ctx: CallContext<SentinelOneSettings>, name: string): Promise<string> {
  const agents = await ctx.call({
    method: 'GET',
    path: `${API}/agents`,
    query: { computerName: name },
    purpose: `find the agent ${name}`,
    read: (reply) => readJson(agentList, reply, VENDOR, 'find the agent').data,
  });
  const exact = agents.filter((a) => a.computerName.toLowerCase() === name.toLowerCase());
  if (exact.length === 0)
    throw new ActionError(`${VENDOR} has no agent named ${name} — check the spelling or the token's scope.`);
  if (exact.length > 1)
    throw new ActionError(
      `${VENDOR} has ${exact.length} agents named ${name}; Riposte will not guess — act from the console.`,
    );
  return (exact[0] as { id: string }).id;
}

async function network(
  ctx: CallContext<SentinelOneSettings>,
  input: ActionInput,
  verb: 'disconnect' | 'connect',
): Promise<ActionResult> {
  const name = input.target.value;
  const id = await findAgent(ctx, name);
  await ctx.call({
    method: 'POST',
    path: `${API}/agents/actions/${verb}`,
    body: { filter: { ids: [id] }, data: {} },
    // quarantining a quarantined agent (or reconnecting a connected one) changes nothing
    idempotent: true,
    purpose: `${verb} ${name} ${verb === 'disconnect' ? 'from' : 'to'} the network`,
    read: (reply) => {
      const n = readJson(affected, reply, VENDOR, verb).data.affected;
      if (n < 1)
        throw new ActionError(`${VENDOR} did not accept the request to ${verb} ${name} (0 agents affected).`);
      return n;
    },
  });
  return {
    status: 'pending',
    reference: id,
    message: `${VENDOR} accepted the request to ${verb} ${name}; waiting for the agent.`,
    poll: { state: { id, name, want: verb === 'disconnect' ? 'disconnected' : 'connected' } },
  };
}

async function pollAgent(ctx: CallContext<SentinelOneSettings>, handle: PollHandle): Promise<ActionResult> {
  const { id = '', name = id, want = 'disconnected' } = handle.state;
  const agents = await ctx.call({
    method: 'GET',
    path: `${API}/agents`,
    query: { ids: id },
    purpose: `read the network status of ${name}`,
    read: (reply) => readJson(agentList, reply, VENDOR, 'read the agent').data,
  });
  const status = agents[0]?.networkStatus;
  if (!agents[0])
    return { status: 'failed', reference: id, message: `${VENDOR} no longer knows the agent ${name}.` };
  if (status === want) {
    return {
      status: 'done',
      reference: id,
      message:
        want === 'disconnected'
          ? `${name} is disconnected from the network (${VENDOR}).`
          : `${name} is reconnected to the network.`,
    };
  }
  return { status: 'pending', reference: id, message: `${name}: ${status ?? 'unknown'}.`, poll: handle };
}

export const sentinelone = defineConnector<SentinelOneSettings>({
  id: 'sentinelone',
  label: VENDOR,
  docs: [
    'https://xsoar.pan.dev/docs/reference/integrations/sentinel-one-v2',
    'https://www.elastic.co/docs/reference/kibana/connectors-kibana/sentinelone-v2-action-type',
  ],
  settingsSchema,
  secretFields: ['apiToken'],
  baseUrl: (s) => s.baseUrl,
  auth: (s) => ({ kind: 'headers', headers: { authorization: `ApiToken ${s.apiToken}` } }),
  actions: {
    block_hash: {
      targets: ['sha1', 'sha256'],
      describe: (s, i) => [
        `Add ${i.target.value} to the blocklist for ${s.osTypes.join(', ')} (${s.siteIds.length ? `sites ${s.siteIds.join(', ')}` : 'whole tenant'}).`,
      ],
      run: blockHash,
    },
    unblock_hash: {
      targets: ['sha1', 'sha256'],
      describe: (s, i) => [`Remove ${i.target.value} from the blocklist for ${s.osTypes.join(', ')}.`],
      run: unblockHash,
    },
    isolate_host: {
      targets: ['hostname'],
      describe: (_s, i) => [
        `Look up the agent named ${i.target.value}.`,
        'Disconnect it from the network (network quarantine) and follow it until it is disconnected.',
      ],
      run: (ctx, input) => network(ctx, input, 'disconnect'),
      poll: pollAgent,
    },
    release_host: {
      targets: ['hostname'],
      describe: (_s, i) => [`Look up the agent named ${i.target.value}.`, 'Reconnect it to the network.'],
      run: (ctx, input) => network(ctx, input, 'connect'),
      poll: pollAgent,
    },
  },
  async testConnection(ctx) {
    await ctx.call({
      method: 'GET',
      path: `${API}/agents`,
      query: { limit: '1' },
      purpose: 'list one agent',
      read: (reply) => readJson(agentList, reply, VENDOR, 'list one agent'),
    });
    return `${VENDOR} accepted the API token.`;
  },
});
