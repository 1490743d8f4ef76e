/**
 * SentinelOne management API emulator (v2.1): `ApiToken` auth, agents with network quarantine that settles after
 * `networkPolls` status reads, hash blocklist (restrictions) per OS type. See lib/actions/connectors/sentinelone.ts.
 */
import { randomInt } from 'node:crypto';
import { type EmulatorHandle, startEmulator } from './server';

export interface S1Restriction {
  id: string;
  type: string;
  value: string;
  osType: string;
  description?: string;
  scope: unknown;
}

export interface SentinelOneEmulator extends EmulatorHandle {
  apiToken: string;
  agents: Array<{ id: string; computerName: string; networkStatus: string; readsLeft: number }>;
  restrictions: Map<string, S1Restriction>;
}

export async function startSentinelOneEmulator(
  options: { agents?: string[]; networkPolls?: number } = {},
): Promise<SentinelOneEmulator> {
  const apiToken = 'eyJraWQiOiJzMS10b2tlbiJ9.s1-api-token-value';
  const agents = (options.agents ?? ['FIN-LAPTOP-07']).map((computerName) => ({
    id: `22${randomInt(1e12, 9e12)}`,
    computerName,
    networkStatus: 'connected',
    readsLeft: 0,
  }));
  const restrictions = new Map<string, S1Restriction>();
  const polls = options.networkPolls ?? 1;
  const publicAgent = ({ readsLeft: _r, ...a }: (typeof agents)[number]) => a;

  const handle = await startEmulator({ header: { name: 'authorization', value: `ApiToken ${apiToken}` } }, [
    {
      method: 'GET',
      path: '/web/api/v2.1/agents',
      handle: (req) => {
        let found = agents;
        if (req.query.computerName)
          found = found.filter((a) => a.computerName.toLowerCase() === req.query.computerName?.toLowerCase());
        if (req.query.ids) {
          const ids = req.query.ids.split(',');
          found = found.filter((a) => ids.includes(a.id));
          for (const a of found) {
            if (a.networkStatus === 'disconnecting' || a.networkStatus === 'connecting') {
              if (a.readsLeft <= 0)
                a.networkStatus = a.networkStatus === 'disconnecting' ? 'disconnected' : 'connected';
              else a.readsLeft -= 1;
            }
          }
        }
        if (req.query.limit) found = found.slice(0, Number(req.query.limit));
        return {
          body: { data: found.map(publicAgent), pagination: { totalItems: found.length, nextCursor: null } },
        };
      },
    },
    {
      method: 'POST',
      path: /^\/web\/api\/v2\.1\/agents\/actions\/(disconnect|connect)$/,
      handle: (req, [verb]) => {
        const ids = (req.json as { filter?: { ids?: string[] } } | undefined)?.filter?.ids;
        if (!Array.isArray(ids) || ids.length === 0) {
          return {
            status: 400,
            body: { errors: [{ code: 4000010, detail: 'filter is required', title: 'Validation Error' }] },
          };
        }
        const hit = agents.filter((a) => ids.includes(a.id));
        for (const a of hit) {
          const target = verb === 'disconnect' ? 'disconnected' : 'connected';
          if (a.networkStatus !== target) {
            a.networkStatus = verb === 'disconnect' ? 'disconnecting' : 'connecting';
            a.readsLeft = polls;
          }
        }
        return { body: { data: { affected: hit.length } } };
      },
    },
    {
      method: 'GET',
      path: '/web/api/v2.1/restrictions',
      handle: (req) => {
        const found = [...restrictions.values()].filter(
          (r) =>
            (!req.query.type || r.type === req.query.type) &&
            (!req.query.value || r.value === req.query.value?.toLowerCase()) &&
            (!req.query.osTypes || req.query.osTypes.split(',').includes(r.osType)),
        );
        return { body: { data: found, pagination: { totalItems: found.length } } };
      },
    },
    {
      method: 'POST',
      path: '/web/api/v2.1/restrictions',
      handle: (req) => {
        const body = req.json as { data?: Partial<S1Restriction>; filter?: unknown } | undefined;
        const d = body?.data;
        if (
          !d?.value ||
          d.type !== 'black_hash' ||
          !['windows', 'macos', 'linux', 'windows_legacy'].includes(d.osType ?? '') ||
          !body?.filter
        ) {
          return {
            status: 400,
            body: { errors: [{ code: 4000010, detail: 'Invalid restriction', title: 'Validation Error' }] },
          };
        }
        if ([...restrictions.values()].some((r) => r.value === d.value && r.osType === d.osType)) {
          return {
            status: 409,
            body: { errors: [{ code: 4090010, detail: 'Already exists', title: 'Conflict' }] },
          };
        }
        const r: S1Restriction = {
          id: `22${randomInt(1e12, 9e12)}`,
          type: 'black_hash',
          value: d.value,
          osType: d.osType as string,
          description: d.description,
          scope: body.filter,
        };
        restrictions.set(r.id, r);
        return { body: { data: [r] } };
      },
    },
    {
      method: 'DELETE',
      path: '/web/api/v2.1/restrictions',
      handle: (req) => {
        const ids = (req.json as { data?: { ids?: string[] } } | undefined)?.data?.ids ?? [];
        const n = ids.filter((id) => restrictions.delete(id)).length;
        return { body: { data: { affected: n } } };
      },
    },
  ]);
  return { ...handle, apiToken, agents, restrictions };
}
