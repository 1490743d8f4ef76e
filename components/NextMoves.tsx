import type { PanelHint } from '../lib/panel/hints-model';

export interface NextMovesProps {
  hints: readonly PanelHint[];
  /** What the hints are based on ("the 3 techniques on this page", "T1566.001"). */
  basis: string;
  onOpen: (id: string) => void;
  /** Why there are none (no knowledge, no hints model, nothing observed). */
  unavailable?: string | undefined;
}

/**
 * "Next likely moves": the adversary's likely next techniques with a score bar, the reason a person can check, and
 * the D3FEND countermeasures to prepare. Each opens its card. Presentational; hints come from lib/knowledge/hints.
 */
export function NextMoves({ hints, basis, onOpen, unavailable }: NextMovesProps) {
  return (
    <section class="card-section next-moves" aria-labelledby="next-moves-heading">
      <h3 id="next-moves-heading">
        Next likely moves <span class="muted small">after {basis}</span>
      </h3>
      {unavailable ? <p class="muted">{unavailable}</p> : null}
      {!unavailable && hints.length === 0 ? <p class="muted">No likely next move stands out.</p> : null}
      <ol class="plain-list hints">
        {hints.map((hint) => {
          const percent = Math.round(Math.max(0, Math.min(1, hint.score)) * 100);
          return (
            <li key={hint.id} class="hint" data-hint={hint.id}>
              <div class="hint-head">
                <button type="button" class="linklike" onClick={() => onOpen(hint.id)}>
                  <span class="mono id">{hint.id}</span> {hint.name}
                </button>
                <meter class="score" min={0} max={100} value={percent} aria-label={`Score of ${hint.id}`}>
                  {percent}%
                </meter>
              </div>
              {hint.why ? <p class="why muted">{hint.why}</p> : null}
              {hint.prepare && hint.prepare.length > 0 ? (
                <p class="prepare">
                  <span class="muted">Prepare: </span>
                  {hint.prepare.map((c, i) => (
                    <span key={c.id}>
                      {i > 0 ? ', ' : ''}
                      <button type="button" class="linklike" onClick={() => onOpen(c.id)}>
                        {c.name}
                      </button>
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
