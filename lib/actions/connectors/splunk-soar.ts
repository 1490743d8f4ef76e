/**
 * Splunk SOAR (formerly Phantom), token auth (`ph-auth-token` header).
 *
 * Documentation followed (Splunk SOAR REST API reference, https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference):
 * - Containers: `POST /rest/container` with `{ name, label, severity, description, source_data_identifier,
 *   artifacts: [{ name, label, cef, source_data_identifier }] }` -> `{ success: true, id }`; a container whose
 *   `source_data_identifier` already exists is not created again: `{ failed: true, message: "duplicate",
 *   existing_container_id }` — Riposte sets it to the operation id, so a repeated request is harmless.
 * - CEF fields per indicator type: `destinationAddress` (IP), `destinationDnsDomain` (domain), `requestURL` (URL),
 *   `fileHashMd5` / `fileHashSha1` / `fileHashSha256` / `fileHash` (hashes), `destinationHostName` (host).
 * - Playbooks: `POST /rest/playbook_run` with `{ container_id, playbook_id, scope: "new", run: true }` ->
 *   `{ playbook_run_id, recieved: true }` (sic); `GET /rest/playbook_run/{id}` -> `{ status: pending | running |
 *   success | failed | cancelled }`; `GET /rest/playbook_run?_filter_container=<id>` lists a container's runs.
 */
import { z } from 'zod';
import { ActionError, type ActionInput, type CallContext, defineConnector, readJson } from '../connector';
import type { ActionResult, ActionTarget, PollHandle, TargetType } from '../types';

const settingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  authToken: z.string().min(1, 'the automation user token is required'),
  label: z.string().trim().min(1).default('events'),
  severity: z.enum(['low', 'medium', 'high']).default('high'),
  /** Playbook run by `run_playbook`: "repo/name" or a numeric id. */
  playbook: z.string().trim().default(''),
});
export type SplunkSoarSettings = z.infer<typeof settingsSchema>;

const VENDOR = 'Splunk SOAR';

export const CEF_FIELDS: Partial<Record<TargetType, string>> = {
  ipv4: 'destinationAddress',
  ipv6: 'destinationAddress',
  cidr: 'destinationAddress',
  domain: 'destinationDnsDomain',
  url: 'requestURL',
  md5: 'fileHashMd5',
  sha1: 'fileHashSha1',
  sha256: 'fileHashSha256',
  sha512: 'fileHash',
  email: 'fromEmail',
  hostname: 'destinationHostName',
};

const containerReply = z.object({
  success: z.boolean().optional(),
  failed: z.boolean().optional(),
  id: z.number().optional(),
  existing_container_id: z.number().optional(),
  message: z.string().optional(),
});
const runReply = z.object({ playbook_run_id: z.number() });
const runStatus = z.object({ id: z.number(), status: z.string(), message: z.string().nullable().optional() });
const runList = z.object({ data: z.array(runStatus) });

function cef(target: ActionTarget): Record<string, string> {
  const field = CEF_FIELDS[target.type];
  if (!field) throw new ActionError(`${VENDOR}: no CEF field fits a ${target.type}.`);
  return { [field]: target.value };
}

async function createContainer(
  ctx: CallContext<SplunkSoarSettings>,
  input: ActionInput,
  purpose: string,
): Promise<number> {
  const s = ctx.settings;
  const { target } = input;
  const reply = await ctx.call({
    method: 'POST',
    path: '/rest/container',
    body: {
      name: `Riposte: ${purpose} ${target.value}`,
      label: s.label,
      severity: s.severity,
      description: [input.note, input.pageUrl ? `Seen on ${input.pageUrl}` : ''].filter(Boolean).join('\n'),
      source_data_identifier: input.operationId,
      artifacts: [
        {
          name: `${target.type} ${target.value}`,
          label: s.label,
          severity: s.severity,
          cef: cef(target),
          source_data_identifier: `${input.operationId}-1`,
        },
      ],
    },
    // source_data_identifier makes a repeat a no-op on the vendor side
    idempotent: true,
    accept: [400],
    purpose: `create a container for ${target.value}`,
    read: (r) => readJson(containerReply, r, VENDOR, 'create the container'),
  });
  const id = reply.id ?? (reply.message === 'duplicate' ? reply.existing_container_id : undefined);
  if (id === undefined)
    throw new ActionError(
      `${VENDOR} did not create the container: ${reply.message ?? 'no id in the reply'}.`,
    );
  return id;
}

async function createCase(ctx: CallContext<SplunkSoarSettings>, input: ActionInput): Promise<ActionResult> {
  const id = await createContainer(ctx, input, 'case for');
  return {
    status: 'done',
    reference: String(id),
    message: `${VENDOR} container ${id} holds ${input.target.value} (${ctx.instanceLabel}).`,
  };
}

async function runPlaybook(ctx: CallContext<SplunkSoarSettings>, input: ActionInput): Promise<ActionResult> {
  const playbook = input.playbook || ctx.settings.playbook;
  if (!playbook)
    throw new ActionError(
      `No playbook is configured for "${ctx.instanceLabel}" — set one in the options page.`,
    );
  const containerId =
    input.target.type === 'incident'
      ? Number(input.target.value)
      : await createContainer(ctx, input, 'playbook for');
  if (!Number.isInteger(containerId))
    throw new ActionError(`${input.target.value} is not a ${VENDOR} container id.`);
  const runId = await ctx.call({
    method: 'POST',
    path: '/rest/playbook_run',
    body: {
      container_id: containerId,
      playbook_id: /^\d+$/.test(playbook) ? Number(playbook) : playbook,
      scope: 'new',
      run: true,
    },
    purpose: `run the playbook ${playbook} on container ${containerId}`,
    lookup: async () => {
      const runs = await ctx.call({
        method: 'GET',
        path: '/rest/playbook_run',
        query: { _filter_container: String(containerId) },
        purpose: `list the playbook runs of container ${containerId}`,
        read: (r) => readJson(runList, r, VENDOR, 'list playbook runs').data,
      });
      return runs[0]?.id;
    },
    read: (r) => readJson(runReply, r, VENDOR, 'run the playbook').playbook_run_id,
  });
  return {
    status: 'pending',
    reference: String(runId),
    message: `${VENDOR} started the playbook ${playbook} on container ${containerId}.`,
    poll: { state: { runId: String(runId), containerId: String(containerId), playbook } },
  };
}

async function pollRun(ctx: CallContext<SplunkSoarSettings>, handle: PollHandle): Promise<ActionResult> {
  const { runId = '', containerId = '', playbook = 'playbook' } = handle.state;
  const run = await ctx.call({
    method: 'GET',
    path: `/rest/playbook_run/${encodeURIComponent(runId)}`,
    purpose: `read the playbook run ${runId}`,
    read: (r) => readJson(runStatus, r, VENDOR, 'read the playbook run'),
  });
  if (run.status === 'success')
    return {
      status: 'done',
      reference: runId,
      message: `The playbook ${playbook} finished on container ${containerId}.`,
    };
  if (run.status === 'pending' || run.status === 'running')
    return {
      status: 'pending',
      reference: runId,
      message: `Playbook ${playbook}: ${run.status}.`,
      poll: handle,
    };
  return {
    status: 'failed',
    reference: runId,
    message: `The playbook ${playbook} ended "${run.status}" on container ${containerId}${run.message ? `: ${run.message}` : ''} — see its run in ${VENDOR}.`,
  };
}

const CASE_TARGETS = Object.keys(CEF_FIELDS) as TargetType[];

export const splunkSoar = defineConnector<SplunkSoarSettings>({
  id: 'splunk-soar',
  label: VENDOR,
  docs: ['https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference'],
  settingsSchema,
  secretFields: ['authToken'],
  baseUrl: (s) => s.baseUrl,
  auth: (s) => ({ kind: 'headers', headers: { 'ph-auth-token': s.authToken } }),
  actions: {
    create_case: {
      targets: CASE_TARGETS,
      describe: (s, i) => [
        `Create a container (label ${s.label}, severity ${s.severity}) with one artifact: ${Object.keys(cef(i.target))[0]} = ${i.target.value}.`,
      ],
      run: createCase,
    },
    run_playbook: {
      targets: [...CASE_TARGETS, 'incident'],
      describe: (s, i) => [
        ...(i.target.type === 'incident'
          ? []
          : [
              `Create a container with one artifact: ${CEF_FIELDS[i.target.type] ?? i.target.type} = ${i.target.value}.`,
            ]),
        `Run the playbook ${i.playbook || s.playbook || '(none configured)'} on ${i.target.type === 'incident' ? `container ${i.target.value}` : 'it'} and follow it to its end.`,
      ],
      run: runPlaybook,
      poll: pollRun,
    },
  },
  async testConnection(ctx) {
    await ctx.call({
      method: 'GET',
      path: '/rest/container',
      query: { page_size: '1' },
      purpose: 'list one container',
      read: (r) => readJson(z.object({ count: z.number() }), r, VENDOR, 'list one container'),
    });
    return `${VENDOR} accepted the token.`;
  },
});
