/**
 * Splunk SOAR emulator: `ph-auth-token` auth, containers with artifacts deduplicated on source_data_identifier,
 * playbook runs that finish after `runPolls` reads. See lib/actions/connectors/splunk-soar.ts.
 */
import { type EmulatorHandle, startEmulator } from './server';

export interface SoarContainer {
  id: number;
  name: string;
  label: string;
  severity: string;
  description?: string;
  source_data_identifier: string;
  artifacts: Array<{ name: string; cef: Record<string, string>; source_data_identifier?: string }>;
}

export interface SoarRun {
  id: number;
  container: number;
  playbook: string | number;
  status: string;
  readsLeft: number;
}

export interface SplunkSoarEmulator extends EmulatorHandle {
  token: string;
  containers: SoarContainer[];
  runs: SoarRun[];
  playbooks: string[];
  setRunOutcome(status: 'success' | 'failed'): void;
}

export async function startSplunkSoarEmulator(
  options: { runPolls?: number } = {},
): Promise<SplunkSoarEmulator> {
  const token = 'soar-ph-auth-token/9Fq+Zl==';
  const containers: SoarContainer[] = [];
  const runs: SoarRun[] = [];
  const playbooks = ['local/riposte_block', '17'];
  const polls = options.runPolls ?? 1;
  let outcome = 'success';
  let nextContainer = 100;
  let nextRun = 500;
  const view = ({ readsLeft: _r, ...run }: SoarRun) => run;

  const handle = await startEmulator({ header: { name: 'ph-auth-token', value: token } }, [
    {
      method: 'GET',
      path: '/rest/container',
      handle: () => ({ body: { count: containers.length, num_pages: 1, data: containers.slice(0, 1) } }),
    },
    {
      method: 'POST',
      path: '/rest/container',
      handle: (req) => {
        const b = req.json as Partial<SoarContainer> | undefined;
        if (!b?.name || !b.label)
          return { status: 400, body: { failed: true, message: 'name and label are required' } };
        const existing = containers.find(
          (c) => b.source_data_identifier && c.source_data_identifier === b.source_data_identifier,
        );
        if (existing)
          return {
            status: 400,
            body: { failed: true, message: 'duplicate', existing_container_id: existing.id },
          };
        const artifacts = Array.isArray(b.artifacts) ? b.artifacts : [];
        if (!artifacts.every((a) => a && typeof a.cef === 'object'))
          return { status: 400, body: { failed: true, message: 'artifact cef required' } };
        const container: SoarContainer = {
          id: nextContainer++,
          name: b.name,
          label: b.label,
          severity: b.severity ?? 'medium',
          description: b.description,
          source_data_identifier: b.source_data_identifier ?? String(nextContainer),
          artifacts,
        };
        containers.push(container);
        return {
          body: { success: true, id: container.id, new_artifact_ids: artifacts.map((_, i) => 9000 + i) },
        };
      },
    },
    {
      method: 'POST',
      path: '/rest/playbook_run',
      handle: (req) => {
        const b = req.json as
          | { container_id?: number; playbook_id?: string | number; scope?: string; run?: boolean }
          | undefined;
        if (!b || !containers.some((c) => c.id === b.container_id))
          return { status: 400, body: { failed: true, message: 'Invalid container' } };
        if (!playbooks.includes(String(b.playbook_id)))
          return { status: 400, body: { failed: true, message: `Playbook ${b.playbook_id} not found` } };
        const run: SoarRun = {
          id: nextRun++,
          container: b.container_id as number,
          playbook: b.playbook_id as string,
          status: 'running',
          readsLeft: polls,
        };
        runs.push(run);
        return { body: { playbook_run_id: run.id, recieved: true } };
      },
    },
    {
      method: 'GET',
      path: '/rest/playbook_run',
      handle: (req) => {
        const c = Number(req.query._filter_container);
        const found = runs.filter((r) => Number.isNaN(c) || r.container === c);
        return { body: { count: found.length, data: found.map(view) } };
      },
    },
    {
      method: 'GET',
      path: /^\/rest\/playbook_run\/(\d+)$/,
      handle: (_req, [id]) => {
        const run = runs.find((r) => r.id === Number(id));
        if (!run) return { status: 404, body: { failed: true, message: 'Requested item not found' } };
        if (run.status === 'running') {
          if (run.readsLeft <= 0) run.status = outcome;
          else run.readsLeft -= 1;
        }
        return {
          body: {
            ...view(run),
            message: run.status === 'failed' ? 'action block_ip failed on asset fw-01' : null,
          },
        };
      },
    },
  ]);
  return {
    ...handle,
    token,
    containers,
    runs,
    playbooks,
    setRunOutcome(status) {
      outcome = status;
    },
  };
}
