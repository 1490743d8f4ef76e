export interface PauseControlsProps {
  /** Host of the page the panel shows, or null for a page Riposte never reads (browser pages). */
  site: string | null;
  pausedHere: boolean;
  pausedEverywhere: boolean;
  lockedEverywhere: boolean;
  error?: string | undefined;
  onToggleSite: () => void;
  onToggleEverywhere: () => void;
}

/** The panel's pause switches: on this site, everywhere. Presentational. */
export function PauseControls(props: PauseControlsProps) {
  const { site, pausedHere, pausedEverywhere, lockedEverywhere, error } = props;
  return (
    <section class="pause-controls" aria-label="Pause Riposte">
      {site ? (
        <label class="row">
          <input type="checkbox" checked={pausedHere} onChange={props.onToggleSite} /> Pause on{' '}
          <span class="mono">{site}</span>
        </label>
      ) : null}
      <label class="row">
        <input
          type="checkbox"
          checked={pausedEverywhere}
          disabled={lockedEverywhere}
          onChange={props.onToggleEverywhere}
        />{' '}
        Pause everywhere
        {lockedEverywhere ? <span class="tag locked"> Set by your administrator</span> : null}
      </label>
      {error ? <p class="error">{error}</p> : null}
    </section>
  );
}
