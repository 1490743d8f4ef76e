import { useState } from 'preact/hooks';
import type {
  AuditEntryReply,
  AvailableActionReply,
  OperationReply,
  PreparedReply,
} from '../../lib/messaging/actions-protocol';
import type { ActionsModel, ApplyState } from './actions-model';
import { targetKey } from './actions-model';

/**
 * The side panel's response-actions layer: a sheet over the panel for the confirmation, the "Apply" picker and the
 * audit log, and a dock at the bottom following the operations the analyst started. Renders the model's signals.
 */
export function ActionsDock({ model }: { model: ActionsModel }) {
  const prepared = model.confirmation.value;
  const apply = model.apply.value;
  const ops = model.operations.value;
  return (
    <>
      {prepared ? (
        <Sheet label="Confirm action">
          <Confirmation
            prepared={prepared}
            secondStep={model.secondStep.value}
            busy={model.busy.value}
            error={model.error.value}
            onConfirm={(typed) => void model.confirm(typed)}
            onCancel={model.dismiss}
          />
        </Sheet>
      ) : apply ? (
        <Sheet label="Apply countermeasure">
          <ApplyPicker
            state={apply}
            busy={model.busy.value}
            error={model.error.value}
            onToggle={model.toggleApply}
            onPrepare={() =>
              void model.prepare(
                apply.action,
                apply.candidates.filter((c) => apply.selected.includes(targetKey(c))),
              )
            }
            onCancel={model.closeApply}
          />
        </Sheet>
      ) : model.auditOpen.value ? (
        <Sheet label="Audit log">
          <AuditView model={model} />
        </Sheet>
      ) : null}
      <section class="actions-dock" aria-label="Response actions">
        {ops.length > 0 ? (
          <ul class="plain-list operations" aria-live="polite">
            {ops.slice(0, 6).map((op) => (
              <OperationRow
                key={op.operationId}
                op={op}
                onCancel={() => void model.cancel(op.operationId)}
                onUndo={() => void model.undo(op.operationId)}
              />
            ))}
          </ul>
        ) : null}
        {!prepared && model.error.value ? (
          <p class="error" role="alert">
            {model.error.value}
          </p>
        ) : null}
        <button type="button" class="link" onClick={() => void model.openAudit()}>
          Audit log
        </button>
      </section>
    </>
  );
}

function Sheet({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="actions-sheet" role="dialog" aria-modal="true" aria-label={label}>
      <div class="actions-sheet-body">{children}</div>
    </div>
  );
}

export interface ConfirmationProps {
  prepared: PreparedReply;
  secondStep: boolean;
  busy: boolean;
  error?: string;
  onConfirm: (typed?: string) => void;
  onCancel: () => void;
}

export function Confirmation({ prepared, secondStep, busy, error, onConfirm, onCancel }: ConfirmationProps) {
  const [typed, setTyped] = useState('');
  const second = prepared.secondConfirmation;
  const nothing = prepared.items.length === 0;
  return (
    <div class="confirmation" data-prepared-id={prepared.id}>
      <h2>{nothing ? `Cannot ${prepared.actionLabel.toLowerCase()}` : `Confirm: ${prepared.actionLabel}`}</h2>
      <dl class="facts">
        <dt>Connector</dt>
        <dd>
          {prepared.instanceLabel} <span class="muted">({prepared.vendorLabel})</span>
        </dd>
        <dt>Action</dt>
        <dd>
          {prepared.actionLabel}
          {prepared.countermeasures.length > 0 ? (
            <span class="muted">
              {' '}
              · {prepared.countermeasures.map((c) => `${c.id} ${c.name}`).join(', ')}
            </span>
          ) : null}
        </dd>
        <dt>{prepared.items.length > 1 ? `Targets (${prepared.items.length})` : 'Target'}</dt>
        <dd>
          <ul class="plain-list targets">
            {prepared.items.map((item) => (
              <li key={targetKey(item.target)}>
                <span class="mono target">{item.target.value}</span>
                <ul class="summary">
                  {item.lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {prepared.refused.length > 0 ? (
        <div class="refused" role="alert">
          <strong>Refused, nothing will be sent for:</strong>
          <ul class="plain-list">
            {prepared.refused.map((r) => (
              <li key={targetKey(r.target)}>
                <span class="mono">{r.target.value}</span>: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {second && secondStep ? (
        <form
          class="second-confirmation"
          onSubmit={(e) => {
            e.preventDefault();
            onConfirm(typed);
          }}
        >
          <label class="stack">
            <strong>{second.prompt}</strong>
            <input
              name="second-confirmation"
              autocomplete="off"
              spellcheck={false}
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          </label>
          <div class="row buttons">
            <button
              type="submit"
              class="danger"
              disabled={busy || typed.trim().toLowerCase() !== second.expected.toLowerCase()}
            >
              {second.kind === 'host' ? `Isolate ${second.expected}` : `Send ${second.expected} requests`}
            </button>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div class="row buttons">
          {nothing ? null : (
            <button type="button" class="primary" disabled={busy} onClick={() => onConfirm()}>
              Confirm
            </button>
          )}
          <button type="button" onClick={onCancel}>
            {nothing ? 'Close' : 'Cancel'}
          </button>
        </div>
      )}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const STATE_WORDS: Record<OperationReply['state'], string> = {
  running: 'sending',
  pending: 'pending',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

function OperationRow({
  op,
  onCancel,
  onUndo,
}: {
  op: OperationReply;
  onCancel: () => void;
  onUndo: () => void;
}) {
  return (
    <li class={`operation ${op.state}`} data-operation-id={op.operationId} data-state={op.state}>
      <div>
        <span class={`tag state-${op.state}`}>{STATE_WORDS[op.state]}</span>{' '}
        <span class="mono">{op.target.value}</span>{' '}
        <span class="muted">
          {op.action.replace(/_/g, ' ')} · {op.instanceLabel}
        </span>
      </div>
      <div class="op-message">{op.message}</div>
      {op.reference ? (
        <div class="muted">
          Vendor reference: <span class="mono">{op.reference}</span>
        </div>
      ) : null}
      <div class="row buttons">
        {op.state === 'running' || op.state === 'pending' ? (
          <button type="button" onClick={onCancel}>
            {op.state === 'pending' ? 'Stop following' : 'Cancel'}
          </button>
        ) : null}
        {op.state === 'done' && op.undo ? (
          <button type="button" onClick={onUndo}>
            Undo
          </button>
        ) : null}
      </div>
    </li>
  );
}

function ApplyPicker({
  state,
  busy,
  error,
  onToggle,
  onPrepare,
  onCancel,
}: {
  state: ApplyState;
  busy: boolean;
  error?: string;
  onToggle: (key: string) => void;
  onPrepare: () => void;
  onCancel: () => void;
}) {
  const { action, candidates, selected } = state;
  return (
    <div class="apply-picker">
      <h2>
        {action.label} <span class="muted">with {action.instanceLabel}</span>
      </h2>
      <p class="muted">{action.countermeasures.map((c) => `${c.id} ${c.name}`).join(', ')}</p>
      {candidates.length === 0 ? (
        <p class="empty">No indicator on this page fits this action.</p>
      ) : (
        <fieldset>
          <legend>Indicators of this page it applies to</legend>
          {candidates.map((c) => (
            <label key={targetKey(c)} class="row">
              <input
                type="checkbox"
                checked={selected.includes(targetKey(c))}
                onChange={() => onToggle(targetKey(c))}
              />{' '}
              <span class="mono">{c.value}</span> <span class="muted">{c.type}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div class="row buttons">
        <button type="button" class="primary" disabled={busy || selected.length === 0} onClick={onPrepare}>
          Review {selected.length} {selected.length === 1 ? 'request' : 'requests'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function AuditView({ model }: { model: ActionsModel }) {
  const filter = model.auditFilter.value;
  const entries = model.audit.value;
  return (
    <div class="audit-view">
      <div class="row">
        <h2>Audit log</h2>
        <button type="button" onClick={model.closeAudit}>
          Close
        </button>
      </div>
      <div class="row filters">
        <input
          type="search"
          name="audit-text"
          aria-label="Filter the audit log"
          placeholder="Target, reference, message, page"
          value={filter.text ?? ''}
          onInput={(e) => {
            const text = e.currentTarget.value;
            void model.loadAudit({ ...filter, ...(text ? { text } : { text: undefined }) });
          }}
        />
        <select
          name="audit-result"
          aria-label="Result"
          value={filter.result ?? ''}
          onChange={(e) => {
            const result = e.currentTarget.value as AuditEntryReply['result'] | '';
            void model.loadAudit({ ...filter, result: result || undefined });
          }}
        >
          <option value="">Any result</option>
          {(['requested', 'pending', 'done', 'failed', 'refused', 'cancelled'] as const).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void model.exportAudit('csv')}>
          Export CSV
        </button>
        <button type="button" onClick={() => void model.exportAudit('json')}>
          Export JSON
        </button>
      </div>
      {model.auditMessage.value ? <p role="status">{model.auditMessage.value}</p> : null}
      {entries.length === 0 ? <p class="empty">No entries.</p> : null}
      <ul class="plain-list audit-entries">
        {entries.map((e) => (
          <li
            key={e.id ?? `${e.operationId}-${e.time}-${e.phase}`}
            class="audit-entry"
            data-result={e.result}
          >
            <div>
              <span class={`tag state-${e.result}`}>{e.result}</span> <span class="mono">{e.target}</span>{' '}
              <span class="muted">
                {e.action.replace(/_/g, ' ')} · {e.instanceLabel} · {new Date(e.time).toLocaleString()}
              </span>
            </div>
            {e.reference ? (
              <div class="muted">
                Reference: <span class="mono">{e.reference}</span>
              </div>
            ) : null}
            {e.message ? <div>{e.message}</div> : null}
            {e.pageUrl ? <div class="muted mono page-url">{e.pageUrl}</div> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Apply" buttons for one D3FEND countermeasure on a technique card. */
export function ApplyButtons({
  actions,
  onApply,
}: {
  actions: AvailableActionReply[];
  onApply: (action: AvailableActionReply) => void;
}) {
  if (actions.length === 0) return null;
  return (
    <span class="apply-buttons">
      {actions.map((a) => (
        <button
          key={`${a.instanceId}:${a.action}`}
          type="button"
          class="apply"
          title={`${a.label} with ${a.instanceLabel}`}
          onClick={() => onApply(a)}
        >
          Apply: {a.label} ({a.instanceLabel})
        </button>
      ))}
    </span>
  );
}
