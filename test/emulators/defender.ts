/**
 * Microsoft Defender for Endpoint emulator: Entra ID token endpoint (`/{tenant}/oauth2/v2.0/token`, scope checked),
 * machines with OData `$filter`, isolate / unisolate machine actions that complete after `actionPolls` status reads,
 * indicators submit-or-update / list / delete; see lib/actions/connectors/defender.ts for the documentation.
 */
import { randomUUID } from 'node:crypto';
import { type EmulatorHandle, startEmulator } from './server';

export interface DefenderIndicator {
  id: string;
  indicatorValue: string;
  indicatorType: string;
  action: string;
  severity?: string;
  title?: string;
  description?: string;
}

export interface DefenderMachineAction {
  id: string;
  type: 'Isolate' | 'Unisolate';
  status: string;
  machineId: string;
  scope?: string;
  requestorComment?: string;
  readsLeft: number;
}

export interface DefenderEmulator extends EmulatorHandle {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The `tokenUrl` setting pointing at this emulator. */
  tokenUrl: string;
  indicators: Map<string, DefenderIndicator>;
  machines: Array<{ id: string; computerDnsName: string }>;
  machineActions: DefenderMachineAction[];
  /** Makes the next actions end in this status instead of Succeeded. */
  setActionOutcome(status: 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled'): void;
}

export interface DefenderEmulatorOptions {
  machines?: Array<{ computerDnsName: string; id?: string }>;
  actionPolls?: number;
}

function odata(filter: string): { eq: Record<string, string>; startswith: Record<string, string> } {
  const eq: Record<string, string> = {};
  const startswith: Record<string, string> = {};
  for (const m of filter.matchAll(/(\w+) eq '((?:[^']|'')*)'/g))
    eq[m[1] as string] = (m[2] as string).replace(/''/g, "'");
  for (const m of filter.matchAll(/startswith\((\w+),'((?:[^']|'')*)'\)/g))
    startswith[m[1] as string] = (m[2] as string).replace(/''/g, "'");
  return { eq, startswith };
}

export async function startDefenderEmulator(
  options: DefenderEmulatorOptions = {},
): Promise<DefenderEmulator> {
  const tenantId = 'contoso-tenant';
  const clientId = 'mde-app-id';
  const clientSecret = 'mde-s3cret~value';
  const indicators = new Map<string, DefenderIndicator>();
  const machines = (options.machines ?? [{ computerDnsName: 'ws-0231.contoso.local' }]).map((m) => ({
    id: m.id ?? randomUUID().replace(/-/g, ''),
    computerDnsName: m.computerDnsName,
  }));
  const machineActions: DefenderMachineAction[] = [];
  const polls = options.actionPolls ?? 1;
  let outcome = 'Succeeded';
  let nextIndicatorId = 1;
  const publicAction = ({ readsLeft: _r, ...a }: DefenderMachineAction) => a;

  const handle = await startEmulator(
    {
      oauth: {
        tokenPath: `/${tenantId}/oauth2/v2.0/token`,
        clientId,
        clientSecret,
        scope: 'https://api.securitycenter.microsoft.com/.default',
        expiresIn: 3599,
      },
    },
    [
      {
        method: 'GET',
        path: '/api/machines',
        handle: (req) => {
          const f = odata(req.query.$filter ?? '');
          let found = machines;
          if (f.eq.computerDnsName) found = found.filter((m) => m.computerDnsName === f.eq.computerDnsName);
          if (f.startswith.computerDnsName)
            found = found.filter((m) => m.computerDnsName.startsWith(f.startswith.computerDnsName as string));
          if (req.query.$top) found = found.slice(0, Number(req.query.$top));
          return {
            body: {
              '@odata.context': 'https://api.securitycenter.microsoft.com/api/$metadata#Machines',
              value: found,
            },
          };
        },
      },
      {
        method: 'POST',
        path: /^\/api\/machines\/([^/]+)\/(isolate|unisolate)$/,
        handle: (req, [machineId, verb]) => {
          const machine = machines.find((m) => m.id === machineId);
          if (!machine)
            return {
              status: 404,
              body: { error: { code: 'ResourceNotFound', message: 'Machine not found' } },
            };
          const body = (req.json ?? {}) as { Comment?: string; IsolationType?: string };
          if (!body.Comment)
            return {
              status: 400,
              body: { error: { code: 'InvalidRequestBody', message: 'Comment is required' } },
            };
          const type = verb === 'isolate' ? 'Isolate' : 'Unisolate';
          if (
            machineActions.some(
              (a) =>
                a.machineId === machineId &&
                a.type === type &&
                (a.status === 'Pending' || a.status === 'InProgress'),
            )
          ) {
            return {
              status: 400,
              body: {
                error: { code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' },
              },
            };
          }
          const action: DefenderMachineAction = {
            id: randomUUID(),
            type,
            status: 'Pending',
            machineId: machineId as string,
            scope: body.IsolationType,
            requestorComment: body.Comment,
            readsLeft: polls,
          };
          machineActions.push(action);
          return { status: 201, body: publicAction(action) };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/machineactions\/([^/]+)$/,
        handle: (_req, [id]) => {
          const action = machineActions.find((a) => a.id === id);
          if (!action)
            return { status: 404, body: { error: { code: 'ResourceNotFound', message: 'not found' } } };
          if (action.status === 'Pending' || action.status === 'InProgress') {
            if (action.readsLeft <= 0) action.status = outcome;
            else {
              action.readsLeft -= 1;
              action.status = 'InProgress';
            }
          }
          return { body: publicAction(action) };
        },
      },
      {
        method: 'GET',
        path: '/api/machineactions',
        handle: (req) => {
          const f = odata(req.query.$filter ?? '');
          const found = machineActions.filter(
            (a) =>
              (!f.eq.machineId || a.machineId === f.eq.machineId) && (!f.eq.type || a.type === f.eq.type),
          );
          return { body: { value: found.map(publicAction) } };
        },
      },
      {
        method: 'POST',
        path: '/api/indicators',
        handle: (req) => {
          const b = (req.json ?? {}) as Partial<DefenderIndicator>;
          const types = [
            'FileSha1',
            'FileMd5',
            'CertificateThumbprint',
            'FileSha256',
            'IpAddress',
            'DomainName',
            'Url',
          ];
          const actions = [
            'Alert',
            'Warn',
            'Block',
            'Audit',
            'BlockAndRemediate',
            'AlertAndBlock',
            'Allowed',
          ];
          if (
            !b.indicatorValue ||
            !types.includes(b.indicatorType ?? '') ||
            !actions.includes(b.action ?? '') ||
            !b.title
          ) {
            return {
              status: 400,
              body: {
                error: {
                  code: 'InvalidRequestBody',
                  message: 'indicatorValue, indicatorType, action and title are required',
                },
              },
            };
          }
          const existing = [...indicators.values()].find(
            (i) => i.indicatorValue === b.indicatorValue && i.indicatorType === b.indicatorType,
          );
          const indicator: DefenderIndicator = {
            id: existing?.id ?? String(nextIndicatorId++),
            indicatorValue: b.indicatorValue,
            indicatorType: b.indicatorType as string,
            action: b.action as string,
            severity: b.severity,
            title: b.title,
            description: b.description,
          };
          indicators.set(indicator.id, indicator);
          return { status: 200, body: indicator };
        },
      },
      {
        method: 'GET',
        path: '/api/indicators',
        handle: (req) => {
          const f = odata(req.query.$filter ?? '');
          const found = [...indicators.values()].filter(
            (i) => !f.eq.indicatorValue || i.indicatorValue === f.eq.indicatorValue,
          );
          return { body: { value: found } };
        },
      },
      {
        method: 'DELETE',
        path: /^\/api\/indicators\/([^/]+)$/,
        handle: (_req, [id]) =>
          indicators.delete(id as string)
            ? { status: 204 }
            : { status: 404, body: { error: { code: 'NotFound', message: 'Indicator not found' } } },
      },
    ],
  );
  return {
    ...handle,
    tenantId,
    clientId,
    clientSecret,
    tokenUrl: `${handle.url}/{tenant}/oauth2/v2.0/token`,
    indicators,
    machines,
    machineActions,
    setActionOutcome(status) {
      outcome = status;
    },
  };
}
