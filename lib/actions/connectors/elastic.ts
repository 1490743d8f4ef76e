/**
 * Elastic Security (Elastic Defend), through the Kibana API with an API key (`Authorization: ApiKey <key>`,
 * `kbn-xsrf`, `elastic-api-version: 2023-10-31`). Optional Kibana space: paths are prefixed `/s/<space>`.
 *
 * Documentation followed (Kibana "Security endpoint management" API,
 * https://www.elastic.co/docs/api/kibana/v8/group/endpoint-security-endpoint-management-api):
 * - Endpoint lookup: `GET /api/endpoint/metadata?kuery=united.endpoint.host.hostname:"X"` ->
 *   `{ data: [{ metadata: { agent: { id }, host: { hostname } }, host_status }], total }`.
 * - Isolate / release: `POST /api/endpoint/action/isolate` and `/api/endpoint/action/unisolate` with
 *   `{ endpoint_ids: [agentId], comment }` -> `{ data: { id, command, isCompleted, wasSuccessful, status } }`
 *   (https://www.elastic.co/guide/en/security/8.14/host-isolation-api.html).
 * - Action details: `GET /api/endpoint/action/{action_id}` -> `{ data: { isCompleted, wasSuccessful, status } }`;
 *   list: `GET /api/endpoint/action?agentIds=…&commands=isolate` (used to find an action an ambiguous failure
 *   may have created; Riposte's comment carries the operation id).
 */
import { z } from 'zod';
import { ActionError, type ActionInput, type CallContext, defineConnector, readJson } from '../connector';
import type { ActionResult, PollHandle } from '../types';

const settingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1, 'the Kibana API key is required'),
  space: z
    .string()
    .regex(/^[a-z0-9_-]*$/, 'a Kibana space id is lowercase letters, digits, _ and -')
    .default(''),
});
export type ElasticSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'Elastic Security';

const metadataList = z.object({
  data: z.array(
    z.object({
      metadata: z.object({ agent: z.object({ id: z.string() }), host: z.object({ hostname: z.string() }) }),
      host_status: z.string().optional(),
    }),
  ),
});
const actionDetails = z.object({
  id: z.string(),
  command: z.string().optional(),
  comment: z.string().optional(),
  isCompleted: z.boolean(),
  wasSuccessful: z.boolean(),
  status: z.string().optional(),
});
const actionReply = z.object({ data: actionDetails });
const actionList = z.object({ data: z.array(actionDetails) });

function p(s: ElasticSettings, path: string): string {
  return s.space ? `/s/${s.space}${path}` : path;
}

function kql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

async function findEndpoint(ctx: CallContext<ElasticSettings>, hostname: string): Promise<string> {
  const found = await ctx.call({
    method: 'GET',
    path: p(ctx.settings, '/api/endpoint/metadata'),
    query: { kuery: `united.endpoint.host.hostname:${kql(hostname)}`, pageSize: '10' },
    purpose: `find the endpoint ${hostname}`,
    read: (reply) => readJson(metadataList, reply, VENDOR, 'find the endpoint').data,
  });
  const exact = found.filter((e) => e.metadata.host.hostname.toLowerCase() === hostname.toLowerCase());
  if (exact.length === 0)
    throw new ActionError(
      `${VENDOR} has no Elastic Defend endpoint named ${hostname} — check the spelling or the space.`,
    );
  if (exact.length > 1)
    throw new ActionError(
      `${VENDOR} has ${exact.length} endpoints named ${hostname}; Riposte will not guess — act from Kibana.`,
    );
  return (exact[0] as (typeof exact)[number]).metadata.agent.id;
}

async function respond(
  ctx: CallContext<ElasticSettings>,
  input: ActionInput,
  command: 'isolate' | 'unisolate',
): Promise<ActionResult> {
  const hostname = input.target.value;
  const agentId = await findEndpoint(ctx, hostname);
  const marker = `Riposte ${input.operationId}`;
  const comment = [marker, input.note, input.pageUrl].filter(Boolean).join(' — ');
  const action = await ctx.call({
    method: 'POST',
    path: p(ctx.settings, `/api/endpoint/action/${command}`),
    body: { endpoint_ids: [agentId], comment },
    purpose: `${command === 'isolate' ? 'isolate' : 'release'} ${hostname}`,
    lookup: async () => {
      const list = await ctx.call({
        method: 'GET',
        path: p(ctx.settings, '/api/endpoint/action'),
        query: { agentIds: agentId, commands: command },
        purpose: `look up the ${command} action on ${hostname}`,
        read: (reply) => readJson(actionList, reply, VENDOR, 'list response actions').data,
      });
      return list.find((a) => a.comment?.startsWith(marker));
    },
    read: (reply) => readJson(actionReply, reply, VENDOR, command).data,
  });
  return {
    status: 'pending',
    reference: action.id,
    message: `${VENDOR} accepted the ${command === 'isolate' ? 'isolation' : 'release'} of ${hostname}; waiting for the endpoint.`,
    poll: { state: { actionId: action.id, hostname, command } },
  };
}

async function pollAction(ctx: CallContext<ElasticSettings>, handle: PollHandle): Promise<ActionResult> {
  const { actionId = '', hostname = actionId, command = 'isolate' } = handle.state;
  const action = await ctx.call({
    method: 'GET',
    path: p(ctx.settings, `/api/endpoint/action/${encodeURIComponent(actionId)}`),
    purpose: `read the status of the response action on ${hostname}`,
    read: (reply) => readJson(actionReply, reply, VENDOR, 'read the response action').data,
  });
  if (!action.isCompleted)
    return {
      status: 'pending',
      reference: actionId,
      message: `${hostname}: ${action.status ?? 'pending'}.`,
      poll: handle,
    };
  if (action.wasSuccessful) {
    return {
      status: 'done',
      reference: actionId,
      message:
        command === 'isolate'
          ? `${hostname} is isolated (${VENDOR}).`
          : `${hostname} is released from isolation.`,
    };
  }
  return {
    status: 'failed',
    reference: actionId,
    message: `${VENDOR} reports the ${command} of ${hostname} as failed — see the endpoint's response actions history.`,
  };
}

export const elastic = defineConnector<ElasticSettings>({
  id: 'elastic',
  label: VENDOR,
  docs: [
    'https://www.elastic.co/docs/api/kibana/v8/group/endpoint-security-endpoint-management-api',
    'https://www.elastic.co/guide/en/security/8.14/host-isolation-api.html',
  ],
  settingsSchema,
  secretFields: ['apiKey'],
  baseUrl: (s) => s.baseUrl,
  auth: (s) => ({
    kind: 'headers',
    headers: { authorization: `ApiKey ${s.apiKey}`, 'kbn-xsrf': 'true', 'elastic-api-version': '2023-10-31' },
  }),
  actions: {
    isolate_host: {
      targets: ['hostname'],
      describe: (s, i) => [
        `Look up the Elastic Defend endpoint named ${i.target.value}${s.space ? ` in space ${s.space}` : ''}.`,
        'Isolate it from the network and follow the response action until it completes.',
      ],
      run: (ctx, input) => respond(ctx, input, 'isolate'),
      poll: pollAction,
    },
    release_host: {
      targets: ['hostname'],
      describe: (_s, i) => [`Look up the endpoint named ${i.target.value}.`, 'Release it from isolation.'],
      run: (ctx, input) => respond(ctx, input, 'unisolate'),
      poll: pollAction,
    },
  },
  async testConnection(ctx) {
    await ctx.call({
      method: 'GET',
      path: p(ctx.settings, '/api/endpoint/metadata'),
      query: { pageSize: '1' },
      purpose: 'list one endpoint',
      read: (reply) => readJson(metadataList, reply, VENDOR, 'list one endpoint'),
    });
    return `${VENDOR} accepted the API key and listed endpoints.`;
  },
});
