import type { SearchHit } from '../lib/panel/search-model';

export interface SearchBoxProps {
  query: string;
  results: readonly SearchHit[];
  active: number;
  status: 'idle' | 'searching' | 'done' | 'error';
  error?: string | undefined;
  /** False while no knowledge is imported: the box says so instead of searching. */
  available: boolean;
  onQuery: (query: string) => void;
  onMove: (delta: number) => void;
  onChoose: (hit: SearchHit) => void;
  onClear: () => void;
}

const KIND_SHORT: Record<string, string> = {
  technique: 'technique',
  tactic: 'tactic',
  group: 'group',
  software: 'software',
  campaign: 'campaign',
  mitigation: 'mitigation',
  d3fend: 'D3FEND',
};

/**
 * Knowledge search as an ARIA 1.2 combobox: the input owns a listbox of results, the active option is announced
 * through aria-activedescendant, ↑ / ↓ move, Enter opens, Escape clears. Presentational.
 */
export function SearchBox(props: SearchBoxProps) {
  const { query, results, active, status, error, available } = props;
  const open = query.trim().length > 0 && status !== 'idle';
  const activeId = open && results[active] ? `search-option-${active}` : undefined;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      props.onMove(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      const hit = results[active];
      if (hit) {
        event.preventDefault();
        props.onChoose(hit);
      }
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      props.onClear();
    }
  };
  return (
    <div class="search">
      <input
        type="text"
        role="combobox"
        aria-label="Search ATT&CK and D3FEND by id or name"
        aria-expanded={open}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        placeholder={
          available ? 'Search T1059, APT29, PowerShell, D3-PSA…' : 'Search needs the knowledge imported'
        }
        autocomplete="off"
        spellcheck={false}
        value={query}
        onInput={(e) => props.onQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <div
        id="search-results"
        role="listbox"
        aria-label="Search results"
        class="search-results"
        hidden={!open}
      >
        {results.map((hit, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard selection goes through the combobox input.
          <div
            key={hit.id}
            id={`search-option-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            class={i === active ? 'active' : ''}
            data-id={hit.id}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => props.onChoose(hit)}
          >
            <span class="mono id">{hit.id}</span> <span class="name">{hit.name}</span>
            <span class="hit-kind">{KIND_SHORT[hit.kind] ?? hit.kind}</span>
            {hit.status && hit.status !== 'current' ? <span class="tag warn">{hit.status}</span> : null}
          </div>
        ))}
      </div>
      {open && status === 'done' && results.length === 0 ? (
        <p class="search-note muted" role="status">
          Nothing matches “{query.trim()}”.
        </p>
      ) : null}
      {open && status === 'error' ? (
        <p class="search-note error" role="alert">
          Search failed: {error}
        </p>
      ) : null}
    </div>
  );
}
