import { useState } from 'preact/hooks';
import type { ManagedKey, Settings } from '../lib/settings/schema';

export interface SiteControlsProps {
  settings: Settings;
  locked: ManagedKey[];
  onSave: (update: (s: Settings) => Settings) => void;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Where Riposte scans: pause everywhere, paused sites, allow and deny lists. Fields set by policy are locked. */
export function SiteControls({ settings, locked, onSave }: SiteControlsProps) {
  const [allow, setAllow] = useState(settings.allowList.join('\n'));
  const [deny, setDeny] = useState(settings.denyList.join('\n'));
  const isLocked = (key: ManagedKey) => locked.includes(key);
  const lockNote = (key: ManagedKey) =>
    isLocked(key) ? <span class="tag locked">Set by your administrator</span> : null;

  return (
    <section class="section" aria-labelledby="sites-heading">
      <h2 id="sites-heading">Where Riposte scans</h2>
      <label class="row">
        <input
          type="checkbox"
          checked={settings.paused}
          disabled={isLocked('paused')}
          onChange={(e) => {
            const paused = e.currentTarget.checked;
            onSave((s) => ({ ...s, paused }));
          }}
        />{' '}
        Paused everywhere {lockNote('paused')}
      </label>
      {settings.pausedSites.length > 0 ? (
        <div>
          <h3>Paused on these sites</h3>
          <ul>
            {settings.pausedSites.map((site) => (
              <li key={site}>
                <span class="mono">{site}</span>{' '}
                <button
                  type="button"
                  onClick={() =>
                    onSave((s) => ({ ...s, pausedSites: s.pausedSites.filter((p) => p !== site) }))
                  }
                >
                  Resume
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <label class="stack">
        <span>
          Allow list: scan only these sites (one pattern a line; empty means every site){' '}
          {lockNote('allowList')}
        </span>
        <textarea
          rows={4}
          value={allow}
          disabled={isLocked('allowList')}
          onInput={(e) => setAllow(e.currentTarget.value)}
          placeholder="splunk.corp.example&#10;*.sentinel.azure.com&#10;https://console.example.com/alerts/*"
        />
      </label>
      <label class="stack">
        <span>Deny list: never scan these sites {lockNote('denyList')}</span>
        <textarea
          rows={4}
          value={deny}
          onInput={(e) => setDeny(e.currentTarget.value)}
          placeholder="mail.example.com"
        />
      </label>
      <button
        type="button"
        class="primary"
        onClick={() =>
          onSave((s) => ({
            ...s,
            ...(isLocked('allowList') ? {} : { allowList: lines(allow) }),
            denyList: lines(deny),
          }))
        }
      >
        Save site lists
      </button>
    </section>
  );
}
