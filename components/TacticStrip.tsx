import type { TacticStrip as Strip } from '../lib/panel/tactic-strip';

export interface TacticStripProps {
  strip: Strip;
  /** False when no knowledge is imported: techniques cannot be placed under tactics. */
  knowledgeReady: boolean;
  onOpen: (id: string) => void;
}

/** The page's ATT&CK techniques under their tactics, in kill-chain order; scrolls sideways when narrow. */
export function TacticStrip({ strip, knowledgeReady, onOpen }: TacticStripProps) {
  if (strip.columns.length === 0 && strip.unplaced.length === 0) return null;
  return (
    <section class="strip-section" aria-labelledby="strip-heading">
      <h3 id="strip-heading">ATT&amp;CK on this page</h3>
      {strip.columns.length > 0 ? (
        <ol class="tactic-strip" aria-label="Tactics in kill-chain order">
          {strip.columns.map((column) => (
            <li key={column.tactic.shortname} class="tactic" data-tactic={column.tactic.shortname}>
              <button
                type="button"
                class="tactic-name"
                onClick={() => onOpen(column.tactic.id)}
                title={column.tactic.id}
              >
                {column.tactic.name}
              </button>
              <ul aria-label={`${column.tactic.name} techniques`}>
                {column.techniques.map((t) => (
                  <li key={t.id}>
                    <button
                      type="button"
                      class="chip"
                      title={t.name ? `${t.id} ${t.name}` : t.id}
                      data-technique={t.id}
                      onClick={() => onOpen(t.id)}
                    >
                      <span class="mono">{t.id}</span>
                      {t.name ? <span class="chip-name">{t.name}</span> : null}
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      ) : null}
      {strip.unplaced.length > 0 ? (
        <p class="muted unplaced">
          {knowledgeReady
            ? 'Not in the local ATT&CK: '
            : 'Import the knowledge to place these under tactics: '}
          {strip.unplaced.map((t, i) => (
            <span key={t.id}>
              {i > 0 ? ', ' : ''}
              <button type="button" class="linklike mono" onClick={() => onOpen(t.id)}>
                {t.id}
              </button>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
