/**
 * Cortex XSOAR emulator, 6.x or 8.x layout: standard API key (`Authorization`, plus `x-xdr-auth-id` on 8.x),
 * incident create / search (name query), set-and-run playbook on an incident. See lib/actions/connectors/xsoar.ts.
 */
import { type EmulatorHandle, type RecordedRequest, type Reply, startEmulator } from './server';

export interface XsoarIncident {
  id: string;
  name: string;
  type: string;
  severity: number;
  details?: string;
  labels: Array<{ type: string; value: string }>;
  playbookId?: string;
  playbookRuns: string[];
}

export interface XsoarEmulator extends EmulatorHandle {
  version: '6' | '8';
  apiKey: string;
  apiKeyId: string;
  incidents: XsoarIncident[];
  playbooks: string[];
}

export async function startXsoarEmulator(options: { version?: '6' | '8' } = {}): Promise<XsoarEmulator> {
  const version = options.version ?? '8';
  const apiKey = 'XSOAR-KEY-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  const apiKeyId = '17';
  const incidents: XsoarIncident[] = [];
  const playbooks = ['Block Indicators - Generic v3', 'Riposte Triage'];
  let next = 1000;
  const api = version === '8' ? '/xsoar/public/v1' : '';
  const internal = version === '8' ? '/xsoar' : '';

  const keyId = (req: RecordedRequest, reply: () => Reply): Reply =>
    version === '8' && req.headers['x-xdr-auth-id'] !== apiKeyId
      ? { status: 401, body: { reply: { err_code: 401, err_msg: 'Public API request unauthorized' } } }
      : reply();

  const handle = await startEmulator({ header: { name: 'authorization', value: apiKey } }, [
    {
      method: 'POST',
      path: `${api}/incident`,
      handle: (req) =>
        keyId(req, () => {
          const b = req.json as (Partial<XsoarIncident> & { createInvestigation?: boolean }) | undefined;
          if (!b?.name)
            return {
              status: 400,
              body: { id: 'badRequest', status: 400, title: 'name is required', detail: 'name is required' },
            };
          if (b.playbookId && !playbooks.includes(b.playbookId)) {
            return {
              status: 400,
              body: {
                id: 'badRequest',
                status: 400,
                title: 'Playbook not found',
                detail: `Playbook ${b.playbookId} not found`,
              },
            };
          }
          const created: XsoarIncident = {
            id: String(next++),
            name: b.name,
            type: b.type ?? 'Unclassified',
            severity: b.severity ?? 0,
            details: b.details,
            labels: b.labels ?? [],
            playbookId: b.playbookId,
            playbookRuns: b.playbookId && b.createInvestigation ? [b.playbookId] : [],
          };
          incidents.push(created);
          return {
            status: 201,
            body: {
              id: created.id,
              name: created.name,
              version: 1,
              type: created.type,
              severity: created.severity,
            },
          };
        }),
    },
    {
      method: 'POST',
      path: `${api}/incidents/search`,
      handle: (req) =>
        keyId(req, () => {
          const q = (req.json as { filter?: { query?: string; size?: number } } | undefined)?.filter;
          const m = /name:"((?:[^"\\]|\\.)*)"/.exec(q?.query ?? '');
          const want = m?.[1]?.replace(/\\(.)/g, '$1');
          const found = incidents
            .filter((i) => want === undefined || i.name === want)
            .slice(0, q?.size ?? 50);
          return { body: { total: found.length, data: found.map((i) => ({ id: i.id, name: i.name })) } };
        }),
    },
    {
      method: 'POST',
      path: new RegExp(`^${internal}/inv-playbook/new/([^/]+)/([^/]+)$`),
      handle: (req, [playbookId, incidentId]) =>
        keyId(req, () => {
          const inc = incidents.find((i) => i.id === incidentId);
          if (!inc)
            return {
              status: 400,
              body: {
                id: 'badRequest',
                status: 400,
                title: 'Could not find investigation',
                detail: `Could not find investigation ${incidentId}`,
              },
            };
          if (!playbooks.includes(playbookId as string))
            return {
              status: 400,
              body: {
                id: 'badRequest',
                status: 400,
                title: 'Playbook not found',
                detail: `Playbook ${playbookId} not found`,
              },
            };
          inc.playbookRuns.push(playbookId as string);
          return { body: { id: playbookId, name: playbookId, state: 'inprogress' } };
        }),
    },
  ]);
  return { ...handle, version, apiKey, apiKeyId, incidents, playbooks };
}
