import type { IndicatorFamily, IndicatorType, IpScope } from '../detect/types';
import { scopeLabel, typeLabel } from './indicator-labels';
import type { KnowledgeEntry } from './page-scanner';

/** An extra button on the card (the actions helper passes "Block…", "Isolate…" here). */
export interface CardAction {
  id: string;
  label: string;
  run: () => void;
}

export interface HoverCardProps {
  type: IndicatorType;
  value: string;
  family: IndicatorFamily;
  scope?: IpScope;
  defanged?: boolean;
  knowledge?: KnowledgeEntry;
  /** A short line after a button was used ("Copied"). */
  status?: string;
  actions?: CardAction[];
  onOpenPanel: () => void;
  onCopy: () => void;
  onCopyDefanged: () => void;
}

/**
 * The card shown when the pointer rests on a highlighted indicator. Presentational: page text only ever reaches
 * the DOM as text (Preact sets textContent / attributes, never HTML).
 */
export function HoverCard(props: HoverCardProps) {
  const { type, value, family, scope, defanged, knowledge, status, actions = [] } = props;
  return (
    <div class={`card ${family}`} role="dialog" aria-label={`Riposte: ${typeLabel(type)}`}>
      <div class="head">
        <span class="chip" />
        <span class="type">{typeLabel(type)}</span>
        {scope ? <span class="scope">{scopeLabel(scope)}</span> : null}
      </div>
      <div class="value" title={value}>
        {value}
      </div>
      {knowledge?.name ? <div class="name">{knowledge.name}</div> : null}
      {knowledge?.status === 'revoked' ? (
        <div class="note">
          Revoked
          {knowledge.replacedBy
            ? `: replaced by ${knowledge.replacedBy.id}${knowledge.replacedBy.name ? ` (${knowledge.replacedBy.name})` : ''}`
            : ''}
        </div>
      ) : null}
      {knowledge?.status === 'deprecated' ? <div class="note">Deprecated in ATT&CK</div> : null}
      {defanged ? <div class="note">Defanged on the page</div> : null}
      <div class="buttons">
        <button type="button" class="primary" onClick={props.onOpenPanel}>
          Open in side panel
        </button>
        <button type="button" onClick={props.onCopy}>
          Copy
        </button>
        <button type="button" onClick={props.onCopyDefanged}>
          Copy defanged
        </button>
      </div>
      {actions.length > 0 ? (
        <div class="buttons actions">
          {actions.map((action) => (
            <button key={action.id} type="button" onClick={action.run}>
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
      {status ? (
        <div class="status" role="status">
          {status}
        </div>
      ) : null}
    </div>
  );
}

export const HOVER_CARD_CSS = `
:host { all: initial; }
.card { position: fixed; z-index: 2147483647; max-width: 360px; min-width: 220px; box-sizing: border-box;
  font: 12.5px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #e8edf3; background: #1b2430;
  border: 1px solid #3a4a5e; border-radius: 8px; padding: 8px 10px; box-shadow: 0 6px 24px rgba(0,0,0,.35); }
.head { display: flex; gap: 6px; align-items: center; margin-bottom: 4px; }
.chip { width: 10px; height: 10px; border-radius: 3px; flex: none; }
.network .chip { background: #e08a00; } .hash .chip { background: #2f7be0; } .attack .chip { background: #c03ab0; }
.d3fend .chip { background: #15a060; } .vulnerability .chip { background: #d83030; }
.type { font-weight: 600; }
.scope { margin-left: auto; font-size: 11px; padding: 1px 6px; border-radius: 10px; background: #2c3a4c; color: #c8d6e5; }
.value { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; word-break: break-all; color: #fff; }
.name { margin-top: 3px; color: #c8d6e5; }
.note { margin-top: 3px; color: #ffcc80; font-size: 11.5px; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
button { font: inherit; font-size: 12px; color: #e8edf3; background: #2c3a4c; border: 1px solid #46586e; border-radius: 5px;
  padding: 3px 8px; cursor: pointer; }
button:hover, button:focus-visible { background: #38495e; outline: none; border-color: #7fb3ff; }
button.primary { background: #2f6fdb; border-color: #2f6fdb; color: #fff; }
.status { margin-top: 6px; font-size: 11.5px; color: #9fe6b8; }
`;
