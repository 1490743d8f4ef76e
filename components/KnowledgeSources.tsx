import { useState } from 'preact/hooks';
import type { Settings } from '../lib/settings/schema';

export interface KnowledgeSourcesProps {
  knowledge: Settings['knowledge'];
  locked: boolean;
  onSave: (knowledge: Settings['knowledge']) => void;
}

/** Where ATT&CK and D3FEND are downloaded from (an internal mirror on closed networks), and the weekly check. */
export function KnowledgeSources({ knowledge, locked, onSave }: KnowledgeSourcesProps) {
  const [draft, setDraft] = useState(knowledge);
  const field = (key: 'enterpriseUrl' | 'mobileUrl' | 'icsUrl' | 'd3fendUrl', label: string) => (
    <label class="stack">
      <span>{label}</span>
      <input
        type="url"
        value={draft[key]}
        disabled={locked}
        onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
      />
    </label>
  );
  const toggle = (key: 'includeMobile' | 'includeIcs' | 'autoUpdate', label: string) => (
    <label class="row">
      <input
        type="checkbox"
        checked={draft[key]}
        disabled={locked}
        onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.checked })}
      />{' '}
      {label}
    </label>
  );
  return (
    <section class="section" aria-labelledby="sources-heading">
      <h2 id="sources-heading">
        Knowledge sources {locked ? <span class="tag locked">Set by your administrator</span> : null}
      </h2>
      {field('enterpriseUrl', 'ATT&CK Enterprise (STIX bundle URL)')}
      {toggle('includeMobile', 'Also ATT&CK Mobile')}
      {draft.includeMobile ? field('mobileUrl', 'ATT&CK Mobile (STIX bundle URL)') : null}
      {toggle('includeIcs', 'Also ATT&CK ICS')}
      {draft.includeIcs ? field('icsUrl', 'ATT&CK ICS (STIX bundle URL)') : null}
      {field('d3fendUrl', 'D3FEND ontology (Turtle URL)')}
      {toggle('autoUpdate', 'Download on first run and check weekly for a new release')}
      <button type="button" class="primary" disabled={locked} onClick={() => onSave(draft)}>
        Save sources
      </button>
    </section>
  );
}
