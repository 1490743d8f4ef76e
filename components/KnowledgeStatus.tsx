import type { KnowledgeStatus as Status } from '../lib/knowledge/queries';

export interface KnowledgeStatusProps {
  status: Status | undefined;
  readError?: string | undefined;
  updateError?: string | undefined;
  running: boolean;
  onUpdate: () => void;
}

function when(iso: string | undefined): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Which ATT&CK / D3FEND the panel explains from, when it was imported, an Update button and live progress. */
export function KnowledgeStatus({ status, readError, updateError, running, onUpdate }: KnowledgeStatusProps) {
  const active = status?.active ?? null;
  const attack = active?.sources.find((s) => s.kind === 'attack');
  const d3fend = active?.sources.find((s) => s.kind === 'd3fend');
  const progress = status?.progress ?? null;
  const percent = progress ? Math.round(Math.max(0, Math.min(1, progress.fraction)) * 100) : 0;
  return (
    <section class="section knowledge" aria-labelledby="knowledge-heading">
      <h2 id="knowledge-heading" class="kb-heading">
        Knowledge
      </h2>
      {status === undefined && !readError ? <p class="muted">Reading the knowledge status…</p> : null}
      {readError ? (
        <p class="error" role="alert">
          Could not read the knowledge database: {readError}
        </p>
      ) : null}
      {status?.state === 'empty' && !progress ? (
        <p class="muted">
          No ATT&amp;CK or D3FEND imported yet: cards, search, tactics and next moves need it. Update
          downloads the official releases (or import files from disk in the options).
        </p>
      ) : null}
      {active ? (
        <dl class="facts">
          <dt>ATT&amp;CK</dt>
          <dd>
            {attack?.version ? `v${attack.version}` : 'version not stated'}
            {attack?.domains?.length ? <span class="muted"> ({attack.domains.join(', ')})</span> : null}
          </dd>
          <dt>D3FEND</dt>
          <dd>{d3fend ? (d3fend.version ?? 'version not stated') : 'not imported'}</dd>
          <dt>Updated</dt>
          <dd>{when(active.importedAt)}</dd>
          <dt>Contents</dt>
          <dd>
            {active.counts.techniques} techniques, {active.counts.subtechniques} sub-techniques,{' '}
            {active.counts.groups} groups, {active.counts.software} software, {active.counts.d3fendTechniques}{' '}
            D3FEND techniques
          </dd>
        </dl>
      ) : null}
      {progress ? (
        <div class="progress" role="status" aria-live="polite">
          <div
            class="bar"
            role="progressbar"
            aria-label="Knowledge import"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <p class="muted">
            {progress.message} ({percent}%)
          </p>
        </div>
      ) : null}
      {status?.lastError ? (
        <p class="error" role="alert">
          The last update failed ({when(status.lastError.at)}): {status.lastError.message}
        </p>
      ) : null}
      {updateError ? (
        <p class="error" role="alert">
          Update failed: {updateError}
        </p>
      ) : null}
      <button type="button" onClick={onUpdate} disabled={running} aria-busy={running}>
        {running ? 'Updating…' : active ? 'Update' : 'Import ATT&CK and D3FEND'}
      </button>
    </section>
  );
}
