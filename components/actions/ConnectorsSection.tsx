import { useState } from 'preact/hooks';
import type { CatalogEntryReply, InstanceForm, InstanceView } from '../../lib/messaging/actions-protocol';
import { type Field, fieldsOf, initialValues, originsOf, settingsFromValues, visible } from './schema-form';

export interface ConnectorsSectionProps {
  catalog: CatalogEntryReply[];
  instances: InstanceView[];
  /** Set by policy: the only actions that exist. */
  allowedActions?: string[];
  /**
   * Save: `origins` are the hosts the instance talks to; the caller asks the browser for exactly those from this
   * click (a user gesture) before sending the form to the background. Resolves to a message for the analyst.
   */
  onSave: (form: InstanceForm, origins: string[]) => Promise<{ ok: boolean; message: string }>;
  onTest: (form: InstanceForm, origins: string[]) => Promise<{ ok: boolean; message: string }>;
  onRemove: (id: string) => Promise<{ ok: boolean; message: string }>;
}

type Editing = { id?: string; vendor: string };

/** Connector instances per vendor: add, edit, test, remove. Forms come from each connector's settings schema. */
export function ConnectorsSection(props: ConnectorsSectionProps) {
  const [editing, setEditing] = useState<Editing | undefined>(undefined);
  const [adding, setAdding] = useState(props.catalog[0]?.id ?? '');
  const vendorLabel = (id: string) => props.catalog.find((c) => c.id === id)?.label ?? id;

  return (
    <section class="section connectors" aria-labelledby="connectors-heading">
      <h2 id="connectors-heading">Response connectors</h2>
      <p class="muted">
        Where "Block", "Isolate host" and "Open a case" go. Secrets are kept by Riposte's background only;
        this page sees whether they are set, never their value.
      </p>
      {props.instances.length === 0 ? <p class="empty">No connector yet.</p> : null}
      <ul class="plain-list instance-list">
        {props.instances.map((instance) => (
          <li key={instance.id} class="instance" data-instance-id={instance.id}>
            {editing?.id === instance.id ? (
              <ConnectorEditor
                {...props}
                entry={props.catalog.find((c) => c.id === instance.vendor)}
                instance={instance}
                onClose={() => setEditing(undefined)}
              />
            ) : (
              <div class="instance-row">
                <strong>{instance.label}</strong> <span class="muted">{vendorLabel(instance.vendor)}</span>{' '}
                {instance.policy ? <span class="tag locked">Set by your administrator</span> : null}
                <span class="muted"> · {instance.actions.length} actions</span>
                {instance.policy ? null : (
                  <button
                    type="button"
                    onClick={() => setEditing({ id: instance.id, vendor: instance.vendor })}
                  >
                    Edit
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
      {editing && editing.id === undefined ? (
        <ConnectorEditor
          {...props}
          entry={props.catalog.find((c) => c.id === editing.vendor)}
          onClose={() => setEditing(undefined)}
        />
      ) : (
        <div class="row add-connector">
          <label>
            Add a connector{' '}
            <select
              name="new-connector-vendor"
              aria-label="Connector type"
              value={adding}
              onChange={(e) => setAdding(e.currentTarget.value)}
            >
              {props.catalog.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" onClick={() => adding && setEditing({ vendor: adding })}>
            Add
          </button>
        </div>
      )}
    </section>
  );
}

interface EditorProps extends ConnectorsSectionProps {
  entry: CatalogEntryReply | undefined;
  instance?: InstanceView;
  onClose: () => void;
}

function ConnectorEditor({
  entry,
  instance,
  allowedActions,
  onSave,
  onTest,
  onRemove,
  onClose,
}: EditorProps) {
  const fields: Field[] = entry ? fieldsOf(entry.settingsJsonSchema, entry.secretFields) : [];
  const offered = (entry?.actions ?? []).filter((a) => !allowedActions || allowedActions.includes(a.action));
  const [label, setLabel] = useState(instance?.label ?? entry?.label ?? '');
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    initialValues(fields, instance?.settings),
  );
  const [actions, setActions] = useState<string[]>(instance?.actions ?? offered.map((a) => a.action));
  const [sessionOnly, setSessionOnly] = useState(instance?.sessionOnlySecrets ?? false);
  const [status, setStatus] = useState<{ ok: boolean; message: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (!entry) return <p class="error">Riposte no longer has this kind of connector.</p>;

  const form = (): InstanceForm => {
    const { settings, secrets } = settingsFromValues(fields, values);
    return {
      ...(instance ? { id: instance.id } : {}),
      vendor: entry.id,
      label: label.trim(),
      settings,
      actions: offered.filter((a) => actions.includes(a.action)).map((a) => a.action),
      sessionOnlySecrets: sessionOnly,
      secrets,
    };
  };
  const run = (work: Promise<{ ok: boolean; message: string }>, after?: () => void) => {
    setBusy(true);
    work
      .then((result) => {
        setStatus(result);
        if (result.ok) after?.();
      })
      .catch((e: unknown) => setStatus({ ok: false, message: e instanceof Error ? e.message : String(e) }))
      .finally(() => setBusy(false));
  };
  const set = (key: string, value: unknown) => setValues((v) => ({ ...v, [key]: value }));
  const headingId = `edit-${instance?.id ?? `new-${entry.id}`}`;

  return (
    <form
      class="connector-editor"
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        const f = form();
        // onSave asks for host permission first: it must run in this click's task
        run(onSave(f, originsOf(fields, values)), instance ? undefined : onClose);
      }}
    >
      <h3 id={headingId}>
        {instance ? `Edit ${instance.label}` : `New ${entry.label} connector`}{' '}
        <span class="muted">({entry.label})</span>
      </h3>
      <label class="stack">
        <span>Name</span>
        <input
          name="instance-label"
          value={label}
          required
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
      </label>
      {fields
        .filter((f) => visible(f, values))
        .map((f) => (
          <FieldInput
            key={f.key}
            field={f}
            value={values[f.key]}
            isSet={instance?.secretsSet[f.key] ?? false}
            onChange={(v) => set(f.key, v)}
          />
        ))}
      <fieldset>
        <legend>Actions this connector offers</legend>
        {offered.map((a) => (
          <label key={a.action} class="row">
            <input
              type="checkbox"
              name={`action-${a.action}`}
              checked={actions.includes(a.action)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setActions((list) => (on ? [...list, a.action] : list.filter((x) => x !== a.action)));
              }}
            />{' '}
            {a.label}
            {a.countermeasures.length > 0 ? (
              <span class="muted"> · {a.countermeasures.map((c) => `${c.id} ${c.name}`).join(', ')}</span>
            ) : null}
          </label>
        ))}
      </fieldset>
      <label class="row">
        <input
          type="checkbox"
          name="sessionOnlySecrets"
          checked={sessionOnly}
          onChange={(e) => setSessionOnly(e.currentTarget.checked)}
        />{' '}
        Keep secrets for this browser session only
      </label>
      <div class="row buttons">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" disabled={busy} onClick={() => run(onTest(form(), originsOf(fields, values)))}>
          Test connection
        </button>
        {instance ? (
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() => run(onRemove(instance.id), onClose)}
          >
            Remove
          </button>
        ) : null}
        <button type="button" onClick={onClose}>
          {instance ? 'Close' : 'Cancel'}
        </button>
      </div>
      {status ? (
        <p role="status" class={status.ok ? 'status ok' : 'status error'} data-testid="connector-status">
          {status.message}
        </p>
      ) : null}
      <p class="muted docs">
        Follows:{' '}
        {entry.docs.slice(0, 3).map((d, i) => (
          <span key={d}>
            {i > 0 ? ', ' : ''}
            <span class="mono">{d}</span>
          </span>
        ))}
      </p>
    </form>
  );
}

function FieldInput({
  field,
  value,
  isSet,
  onChange,
}: {
  field: Field;
  value: unknown;
  isSet: boolean;
  onChange: (value: unknown) => void;
}) {
  const label = `${field.label}${field.required ? '' : ' (optional)'}`;
  switch (field.kind) {
    case 'secret':
      return (
        <label class="stack">
          <span>
            {field.label} <span class="tag">{isSet ? 'set' : 'not set'}</span>
          </span>
          <input
            type="password"
            name={field.key}
            autocomplete="off"
            placeholder={isSet ? 'Leave blank to keep the stored value' : ''}
            value={typeof value === 'string' ? value : ''}
            onInput={(e) => onChange(e.currentTarget.value)}
          />
        </label>
      );
    case 'boolean':
      return (
        <label class="row">
          <input
            type="checkbox"
            name={field.key}
            checked={value === true}
            onChange={(e) => onChange(e.currentTarget.checked)}
          />{' '}
          {field.label}
        </label>
      );
    case 'select':
      return (
        <label class="stack">
          <span>{label}</span>
          <select
            name={field.key}
            value={String(value ?? '')}
            onChange={(e) => onChange(e.currentTarget.value)}
          >
            {(field.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      );
    case 'choices': {
      const list = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset>
          <legend>{field.label}</legend>
          {(field.options ?? []).map((o) => (
            <label key={o} class="row inline">
              <input
                type="checkbox"
                name={`${field.key}.${o}`}
                checked={list.includes(o)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  onChange(on ? [...list, o] : list.filter((x) => x !== o));
                }}
              />{' '}
              {o}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'lines':
      return (
        <label class="stack">
          <span>{label} (one a line)</span>
          <textarea
            name={field.key}
            rows={2}
            value={Array.isArray(value) ? (value as string[]).join('\n') : ''}
            onInput={(e) =>
              onChange(
                e.currentTarget.value
                  .split('\n')
                  .map((l) => l.trim())
                  .filter(Boolean),
              )
            }
          />
        </label>
      );
    case 'number':
      return (
        <label class="stack">
          <span>{label}</span>
          <input
            type="number"
            name={field.key}
            value={String(value ?? '')}
            onInput={(e) => onChange(e.currentTarget.value)}
          />
        </label>
      );
    default:
      if (field.key === 'template')
        return (
          <label class="stack">
            <span>{label}</span>
            <textarea
              name={field.key}
              rows={6}
              class="mono"
              value={String(value ?? '')}
              onInput={(e) => onChange(e.currentTarget.value)}
            />
          </label>
        );
      return (
        <label class="stack">
          <span>{label}</span>
          <input
            type="text"
            inputMode={field.kind === 'url' ? 'url' : 'text'}
            spellcheck={false}
            name={field.key}
            value={String(value ?? '')}
            required={field.required}
            onInput={(e) => onChange(e.currentTarget.value)}
          />
        </label>
      );
  }
}
