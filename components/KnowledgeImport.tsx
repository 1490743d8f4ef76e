import { useState } from 'preact/hooks';

export interface KnowledgeImportProps {
  busy: boolean;
  /** The outcome of the last import from disk, in words. */
  result?: { ok: boolean; message: string } | undefined;
  onFiles: (files: File[]) => void;
}

/**
 * Air-gapped import: drop (or choose) ATT&CK STIX bundles (`.json`, `.json.gz`) and the D3FEND ontology (`.ttl`,
 * `.ttl.gz`). They go through the same atomic import as a download: the knowledge in use stays until the new one
 * is complete.
 */
export function KnowledgeImport({ busy, result, onFiles }: KnowledgeImportProps) {
  const [over, setOver] = useState(false);
  return (
    <section class="section" aria-labelledby="import-heading">
      <h2 id="import-heading">Import from files</h2>
      <section
        class={`dropzone${over ? ' over' : ''}`}
        data-testid="knowledge-dropzone"
        aria-label="Drop knowledge files here"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const files = [...(e.dataTransfer?.files ?? [])];
          if (files.length && !busy) onFiles(files);
        }}
      >
        <p>
          Drop ATT&amp;CK bundles (<span class="mono">.json</span>, <span class="mono">.json.gz</span>) and
          the D3FEND ontology (<span class="mono">.ttl</span>, <span class="mono">.ttl.gz</span>) here, or{' '}
          <label class="filepick">
            choose files
            <input
              type="file"
              multiple
              accept=".json,.gz,.ttl"
              disabled={busy}
              aria-label="Choose knowledge files"
              onChange={(e) => {
                const files = [...(e.currentTarget.files ?? [])];
                e.currentTarget.value = '';
                if (files.length) onFiles(files);
              }}
            />
          </label>
          .
        </p>
        {busy ? <p class="muted">Importing…</p> : null}
      </section>
      {result ? (
        <p role="status" class={result.ok ? 'ok' : 'error'}>
          {result.message}
        </p>
      ) : null}
    </section>
  );
}
