import type { CountedIndicator } from '../lib/messaging/schemas';

export interface IndicatorListProps {
  indicators: CountedIndicator[];
  onSelect?: (indicator: CountedIndicator) => void;
}

const SCOPE_LABEL: Record<string, string> = {
  private: 'private',
  loopback: 'loopback',
  'link-local': 'link-local',
  cgnat: 'CGNAT',
  documentation: 'documentation',
  multicast: 'multicast',
  reserved: 'reserved',
};

/** The page's indicators grouped by type, with counts. Presentational only. */
export function IndicatorList({ indicators, onSelect }: IndicatorListProps) {
  const groups = new Map<string, CountedIndicator[]>();
  for (const item of indicators) {
    const group = groups.get(item.type) ?? [];
    group.push(item);
    groups.set(item.type, group);
  }
  return (
    <div class="indicator-groups">
      {[...groups].map(([type, items]) => (
        <section key={type} aria-label={`${type} (${items.length})`}>
          <h3>
            {type} <span class="muted">({items.length})</span>
          </h3>
          <ul class="indicator-list">
            {items.map((item) => (
              <li key={item.value} data-type={item.type} data-value={item.value}>
                <button type="button" class="linklike mono" onClick={() => onSelect?.(item)}>
                  {item.value}
                </button>
                {item.scope && SCOPE_LABEL[item.scope] ? (
                  <span class="tag">{SCOPE_LABEL[item.scope]}</span>
                ) : null}
                {item.count > 1 ? <span class="muted"> ×{item.count}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
