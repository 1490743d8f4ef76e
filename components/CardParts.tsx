import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { parseMarkdown, ReferenceList } from '../lib/panel/markdown';
import { Markdown } from './Markdown';

/** Building blocks shared by the knowledge cards. Presentational. */

export interface CardRefLike {
  id: string;
  name: string;
  url: string;
}

export type OpenCard = (id: string) => void;

/** A link to another card: opens it in the panel; the href (attack.mitre.org / d3fend.mitre.org) is for a middle click. */
export function CardLink({
  item,
  onOpen,
  showId = true,
}: {
  item: CardRefLike;
  onOpen: OpenCard;
  showId?: boolean;
}) {
  return (
    <a
      href={item.url || undefined}
      class="card-link"
      target="_blank"
      rel="noopener noreferrer"
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        onOpen(item.id);
      }}
    >
      {showId ? <span class="mono id">{item.id}</span> : null} {item.name}
    </a>
  );
}

export function CardSection({
  title,
  count,
  children,
  id,
}: {
  title: string;
  count?: number | undefined;
  children: ComponentChildren;
  id: string;
}) {
  return (
    <section class="card-section" aria-labelledby={id}>
      <h3 id={id}>
        {title}
        {count !== undefined ? <span class="count">{count}</span> : null}
      </h3>
      {children}
    </section>
  );
}

/** A list that shows its first `limit` items and a button for the rest. */
export function ExpandableList<T>({
  items,
  render,
  limit = 8,
  label,
  class: className = 'plain-list',
}: {
  items: readonly T[];
  render: (item: T) => ComponentChildren;
  limit?: number;
  label: string;
  class?: string;
}) {
  const [open, setOpen] = useState(false);
  const shown = open ? items : items.slice(0, limit);
  return (
    <>
      <ul class={className} aria-label={label}>
        {shown.map((item, i) => (
          <li key={i}>{render(item)}</li>
        ))}
      </ul>
      {items.length > limit ? (
        <button type="button" class="linklike more" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show fewer' : `Show all ${items.length}`}
        </button>
      ) : null}
    </>
  );
}

/** Markdown with its own small reference list (a procedure's "how", an analytic's description). */
export function LocalMarkdown({ text, prefix, onOpen }: { text: string; prefix: string; onOpen: OpenCard }) {
  const parsed = useMemo(() => {
    const refs = new ReferenceList();
    return { nodes: parseMarkdown(text, refs), refs: refs.items };
  }, [text]);
  return (
    <div class="local-md">
      <Markdown nodes={parsed.nodes} refPrefix={prefix} onOpenCard={onOpen} />
      {parsed.refs.length > 0 ? (
        <ol class="local-refs">
          {parsed.refs.map((r) => (
            <li key={r.n} id={`${prefix}-${r.n}`} value={r.n}>
              {r.url ? (
                <a href={r.url} target="_blank" rel="noopener noreferrer">
                  {r.label}
                </a>
              ) : (
                r.label
              )}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

export interface ProcedureLike extends CardRefLike {
  description: string;
}

/** Related objects with ATT&CK's sentence on how (shown on demand). */
export function ProcedureList({
  items,
  onOpen,
  label,
  prefix,
  limit,
  extra,
}: {
  items: readonly ProcedureLike[];
  onOpen: OpenCard;
  label: string;
  prefix: string;
  limit?: number;
  extra?: (item: ProcedureLike) => ComponentChildren;
}) {
  return (
    <ExpandableList
      items={items}
      label={label}
      limit={limit}
      render={(item) =>
        item.description ? (
          <details class="procedure">
            <summary>
              <CardLink item={item} onOpen={onOpen} />
              {extra?.(item)}
            </summary>
            <LocalMarkdown text={item.description} prefix={`${prefix}-${item.id}`} onOpen={onOpen} />
          </details>
        ) : (
          <>
            <CardLink item={item} onOpen={onOpen} />
            {extra?.(item)}
          </>
        )
      }
    />
  );
}

export function ExternalLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" class="external">
      {children} <span aria-hidden="true">↗</span>
    </a>
  );
}
