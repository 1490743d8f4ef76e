export interface ExportBarProps {
  indicatorCount: number;
  techniqueCount: number;
  onExport: (format: 'csv' | 'stix' | 'navigator') => void;
  /** What the last export did ("Saved 12 indicators as CSV."), or why it failed. */
  message?: string | undefined;
  error?: boolean;
}

/** Export the page: CSV, STIX 2.1 bundle, ATT&CK Navigator layer. Disabled with a reason when there is nothing. */
export function ExportBar({ indicatorCount, techniqueCount, onExport, message, error }: ExportBarProps) {
  return (
    <fieldset class="export-bar">
      <legend class="muted">Export</legend>
      <button type="button" disabled={indicatorCount === 0} onClick={() => onExport('csv')}>
        CSV
      </button>
      <button type="button" disabled={indicatorCount === 0} onClick={() => onExport('stix')}>
        STIX 2.1
      </button>
      <button
        type="button"
        disabled={techniqueCount === 0}
        title={techniqueCount === 0 ? 'No ATT&CK technique on this page' : 'ATT&CK Navigator layer'}
        onClick={() => onExport('navigator')}
      >
        Navigator
      </button>
      {message ? (
        <p class={error ? 'error export-note' : 'muted export-note'} role="status">
          {message}
        </p>
      ) : null}
    </fieldset>
  );
}
