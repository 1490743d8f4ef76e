/**
 * Kibana / Elastic Defend emulator: `ApiKey` auth plus the `kbn-xsrf` header Kibana requires on writes, endpoint
 * metadata with a KQL hostname filter, isolate / unisolate response actions completing after `actionPolls` reads,
 * optional space prefix. See lib/actions/connectors/elastic.ts.
 */
import { randomUUID } from 'node:crypto';
import { type EmulatorHandle, type RecordedRequest, type Reply, startEmulator } from './server';

export interface ElasticAction {
  id: string;
  command: string;
  agents: string[];
  comment?: string;
  isCompleted: boolean;
  wasSuccessful: boolean;
  status: string;
  readsLeft: number;
}

export interface ElasticEmulator extends EmulatorHandle {
  apiKey: string;
  endpoints: Array<{ agentId: string; hostname: string; isolated: boolean }>;
  actions: ElasticAction[];
  failNextActions(): void;
}

export async function startElasticEmulator(
  options: { hosts?: string[]; actionPolls?: number } = {},
): Promise<ElasticEmulator> {
  const apiKey = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
  const endpoints = (options.hosts ?? ['web-01']).map((hostname) => ({
    agentId: randomUUID(),
    hostname,
    isolated: false,
  }));
  const actions: ElasticAction[] = [];
  const polls = options.actionPolls ?? 1;
  let fail = false;
  const view = ({ readsLeft: _r, agents: _a, ...a }: ElasticAction) => a;

  const needsXsrf = (req: RecordedRequest, reply: () => Reply): Reply =>
    req.headers['kbn-xsrf']
      ? reply()
      : {
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' },
        };

  const routes = (prefix: string) => [
    {
      method: 'GET',
      path: `${prefix}/api/endpoint/metadata`,
      handle: (req: RecordedRequest): Reply => {
        const m = /united\.endpoint\.host\.hostname:"((?:[^"\\]|\\.)*)"/.exec(req.query.kuery ?? '');
        const want = m?.[1]?.replace(/\\(.)/g, '$1');
        const found = endpoints.filter(
          (e) => want === undefined || e.hostname.toLowerCase() === want.toLowerCase(),
        );
        return {
          body: {
            data: found.map((e) => ({
              metadata: {
                agent: { id: e.agentId },
                host: { hostname: e.hostname },
                Endpoint: { state: { isolation: e.isolated } },
              },
              host_status: 'healthy',
            })),
            total: found.length,
            page: 0,
            pageSize: Number(req.query.pageSize ?? 10),
          },
        };
      },
    },
    {
      method: 'POST',
      path: new RegExp(`^${prefix}/api/endpoint/action/(isolate|unisolate)$`),
      handle: (req: RecordedRequest, [command]: string[]): Reply =>
        needsXsrf(req, () => {
          const body = req.json as { endpoint_ids?: string[]; comment?: string } | undefined;
          const ids = body?.endpoint_ids ?? [];
          if (ids.length === 0 || !ids.every((id) => endpoints.some((e) => e.agentId === id))) {
            return {
              status: 400,
              body: { statusCode: 400, error: 'Bad Request', message: 'unknown endpoint_ids' },
            };
          }
          const action: ElasticAction = {
            id: randomUUID(),
            command: command as string,
            agents: ids,
            comment: body?.comment,
            isCompleted: false,
            wasSuccessful: false,
            status: 'pending',
            readsLeft: polls,
          };
          actions.push(action);
          return { body: { action: action.id, data: view(action) } };
        }),
    },
    {
      method: 'GET',
      path: `${prefix}/api/endpoint/action`,
      handle: (req: RecordedRequest): Reply => {
        const agentIds = req.query.agentIds?.split(',');
        const commands = req.query.commands?.split(',');
        const found = actions.filter(
          (a) =>
            (!agentIds || a.agents.some((id) => agentIds.includes(id))) &&
            (!commands || commands.includes(a.command)),
        );
        return { body: { data: found.map(view), total: found.length } };
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${prefix}/api/endpoint/action/([0-9a-f-]{36})$`),
      handle: (_req: RecordedRequest, [id]: string[]): Reply => {
        const action = actions.find((a) => a.id === id);
        if (!action)
          return { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Action not found' } };
        if (!action.isCompleted) {
          if (action.readsLeft <= 0) {
            action.isCompleted = true;
            action.wasSuccessful = !fail;
            action.status = fail ? 'failed' : 'successful';
            for (const e of endpoints)
              if (action.agents.includes(e.agentId) && !fail) e.isolated = action.command === 'isolate';
          } else action.readsLeft -= 1;
        }
        return { body: { data: view(action) } };
      },
    },
  ];
  const handle = await startEmulator({ header: { name: 'authorization', value: `ApiKey ${apiKey}` } }, [
    ...routes(''),
    ...routes('/s/soc'),
  ]);
  return {
    ...handle,
    apiKey,
    endpoints,
    actions,
    failNextActions() {
      fail = true;
    },
  };
}
