/**
 * CrowdStrike Falcon emulator: OAuth2 token, host query / details / containment actions, custom IOC
 * create / query / delete, following the requests documented in lib/actions/connectors/crowdstrike.ts.
 * Containment completes after `containmentPolls` status reads (default 1) so tests see `pending` first.
 */
import { randomBytes } from 'node:crypto';
import { type EmulatorHandle, type RecordedRequest, startEmulator } from './server';

export interface CrowdStrikeIoc {
  id: string;
  type: string;
  value: string;
  action: string;
  severity?: string;
  platforms?: string[];
  description?: string;
}

export interface CrowdStrikeHost {
  device_id: string;
  hostname: string;
  status: string;
}

export interface CrowdStrikeEmulator extends EmulatorHandle {
  clientId: string;
  clientSecret: string;
  iocs: Map<string, CrowdStrikeIoc>;
  hosts: CrowdStrikeHost[];
}

export interface CrowdStrikeEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  hosts?: Array<{ hostname: string; device_id?: string }>;
  containmentPolls?: number;
}

/** Parses the two FQL shapes the connector sends: `hostname:'x'` and `type:'t'+value:'v'`. */
function fql(filter: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of filter.matchAll(/(\w+):'((?:[^'\\]|\\.)*)'/g))
    out[m[1] as string] = (m[2] as string).replace(/\\(.)/g, '$1');
  return out;
}

export async function startCrowdStrikeEmulator(
  options: CrowdStrikeEmulatorOptions = {},
): Promise<CrowdStrikeEmulator> {
  const clientId = options.clientId ?? 'cs-client-id';
  const clientSecret = options.clientSecret ?? 'cs-client-secret-5up3r';
  const iocs = new Map<string, CrowdStrikeIoc>();
  const hosts: CrowdStrikeHost[] = (options.hosts ?? [{ hostname: 'WS-0231' }]).map((h) => ({
    device_id: h.device_id ?? randomBytes(16).toString('hex'),
    hostname: h.hostname,
    status: 'normal',
  }));
  const pendingReads = new Map<string, number>();
  const polls = options.containmentPolls ?? 1;

  const handle = await startEmulator({ oauth: { tokenPath: '/oauth2/token', clientId, clientSecret } }, [
    {
      method: 'GET',
      path: '/devices/queries/devices/v1',
      handle: (req) => {
        const want = fql(req.query.filter ?? '').hostname?.toLowerCase();
        const found = hosts.filter((h) => want === undefined || h.hostname.toLowerCase() === want);
        return { body: { meta: {}, resources: found.map((h) => h.device_id), errors: [] } };
      },
    },
    {
      method: 'GET',
      path: '/devices/entities/devices/v2',
      handle: (req) => {
        const ids = (req.query.ids ?? '').split(',');
        const found = hosts.filter((h) => ids.includes(h.device_id));
        for (const h of found) {
          const left = pendingReads.get(h.device_id);
          if (left !== undefined) {
            if (left <= 0) {
              h.status = h.status === 'containment_pending' ? 'contained' : 'normal';
              pendingReads.delete(h.device_id);
            } else pendingReads.set(h.device_id, left - 1);
          }
        }
        return { body: { meta: {}, resources: found, errors: [] } };
      },
    },
    {
      method: 'POST',
      path: '/devices/entities/devices-actions/v2',
      handle: (req: RecordedRequest) => {
        const action = req.query.action_name;
        const ids = (req.json as { ids?: string[] } | undefined)?.ids ?? [];
        if (action !== 'contain' && action !== 'lift_containment') {
          return { status: 400, body: { errors: [{ code: 400, message: `invalid action_name ${action}` }] } };
        }
        const found = hosts.filter((h) => ids.includes(h.device_id));
        if (found.length === 0)
          return { status: 404, body: { errors: [{ code: 404, message: 'device not found' }] } };
        for (const h of found) {
          h.status = action === 'contain' ? 'containment_pending' : 'lift_containment_pending';
          pendingReads.set(h.device_id, polls);
        }
        return {
          status: 202,
          body: { resources: found.map((h) => ({ id: h.device_id, path: '' })), errors: [] },
        };
      },
    },
    {
      method: 'GET',
      path: '/iocs/queries/indicators/v1',
      handle: (req) => {
        const f = fql(req.query.filter ?? '');
        const found = [...iocs.values()].filter(
          (i) => (!f.type || i.type === f.type) && (!f.value || i.value === f.value),
        );
        return { body: { meta: {}, resources: found.map((i) => i.id), errors: [] } };
      },
    },
    {
      method: 'POST',
      path: '/iocs/entities/indicators/v1',
      handle: (req) => {
        const list = (req.json as { indicators?: Array<Partial<CrowdStrikeIoc>> } | undefined)?.indicators;
        if (!Array.isArray(list) || list.length === 0) {
          return {
            status: 400,
            body: { resources: null, errors: [{ code: 400, message: 'indicators required' }] },
          };
        }
        const created: CrowdStrikeIoc[] = [];
        for (const item of list) {
          if (!item.type || !item.value || !['ipv4', 'ipv6', 'domain', 'md5', 'sha256'].includes(item.type)) {
            return {
              status: 400,
              body: { resources: null, errors: [{ code: 400, message: `invalid type ${item.type}` }] },
            };
          }
          if (!['prevent', 'detect', 'no_action', 'allow', 'prevent_no_ui'].includes(item.action ?? '')) {
            return {
              status: 400,
              body: { resources: null, errors: [{ code: 400, message: `invalid action ${item.action}` }] },
            };
          }
          if ([...iocs.values()].some((i) => i.type === item.type && i.value === item.value)) {
            return {
              status: 400,
              body: {
                resources: null,
                errors: [
                  {
                    code: 400,
                    message: `Duplicate type: '${item.type}' and value: '${item.value}' combination.`,
                  },
                ],
              },
            };
          }
          const ioc: CrowdStrikeIoc = {
            id: randomBytes(32).toString('hex'),
            type: item.type,
            value: item.value,
            action: item.action as string,
            severity: item.severity,
            platforms: item.platforms,
            description: item.description,
          };
          iocs.set(ioc.id, ioc);
          created.push(ioc);
        }
        return { status: 201, body: { meta: {}, resources: created, errors: null } };
      },
    },
    {
      method: 'DELETE',
      path: '/iocs/entities/indicators/v1',
      handle: (req) => {
        const ids = (req.query.ids ?? '').split(',').filter(Boolean);
        const removed = ids.filter((id) => iocs.delete(id));
        return { body: { meta: {}, resources: removed, errors: [] } };
      },
    },
  ]);
  return { ...handle, clientId, clientSecret, iocs, hosts };
}
