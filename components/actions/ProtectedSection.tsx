import { useState } from 'preact/hooks';

export interface ProtectedSectionProps {
  /** The analyst's own entries (editable). */
  entries: string[];
  /** Entries from the administrator's policy (shown, locked). */
  policyEntries: string[];
  retentionDays: number;
  retentionLocked: boolean;
  onSave: (entries: string[], retentionDays: number) => void;
}

/** Never-act list (domains with their subdomains, IPs, CIDRs, hashes, host names) and audit retention. */
export function ProtectedSection(props: ProtectedSectionProps) {
  const [text, setText] = useState(props.entries.join('\n'));
  const [days, setDays] = useState(String(props.retentionDays));
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const dayCount = Number(days);
  const validDays = Number.isInteger(dayCount) && dayCount >= 1 && dayCount <= 3650;
  return (
    <section class="section" aria-labelledby="protected-heading">
      <h2 id="protected-heading">Never act on</h2>
      <p class="muted">
        Riposte refuses to block or isolate these, whatever the page says: domains (with their subdomains), IP
        addresses, CIDR ranges, file hashes, host names. Private, loopback, link-local, documentation and
        reserved addresses and the connectors' own hosts are always refused.
      </p>
      {props.policyEntries.length > 0 ? (
        <div>
          <span class="tag locked">Set by your administrator</span>
          <ul class="plain-list mono">
            {props.policyEntries.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <label class="stack">
        <span>Your protected list (one a line)</span>
        <textarea
          name="protected"
          rows={5}
          value={text}
          placeholder="corp.example&#10;8.8.8.8&#10;10.20.0.0/16&#10;dc01"
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <label class="stack">
        <span>
          Keep the audit log for (days){' '}
          {props.retentionLocked ? <span class="tag locked">Set by your administrator</span> : null}
        </span>
        <input
          type="number"
          name="auditRetentionDays"
          min={1}
          max={3650}
          value={days}
          disabled={props.retentionLocked}
          onInput={(e) => setDays(e.currentTarget.value)}
        />
      </label>
      {validDays ? null : <p class="error">Retention is a whole number of days from 1 to 3650.</p>}
      <button
        type="button"
        class="primary"
        disabled={!validDays}
        onClick={() => props.onSave(entries, props.retentionLocked ? props.retentionDays : dayCount)}
      >
        Save protected list
      </button>
    </section>
  );
}
