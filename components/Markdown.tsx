import { type ComponentChildren, h } from 'preact';
import type { MdNode, MdReference } from '../lib/panel/markdown';

export interface MarkdownProps {
  nodes: readonly MdNode[];
  /** Prefix of the reference anchors of this card (`ref-T1003-3`). */
  refPrefix: string;
  onOpenCard?: (id: string) => void;
}

/**
 * Renders the inert tree of lib/panel/markdown.ts as Preact VNodes: element tags come from a fixed list, text is
 * text, nothing is ever parsed as HTML. Card links open inside the panel (the href still points at
 * attack.mitre.org for a middle click); reference markers jump to the card's reference list.
 */
export function Markdown({ nodes, refPrefix, onOpenCard }: MarkdownProps) {
  return <div class="md">{renderNodes(nodes, refPrefix, onOpenCard)}</div>;
}

function renderNodes(
  nodes: readonly MdNode[],
  refPrefix: string,
  onOpenCard: ((id: string) => void) | undefined,
): ComponentChildren[] {
  return nodes.map((node, i) => {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'ref':
        return (
          <sup key={i} class="ref">
            <a href={`#${refPrefix}-${node.n}`} aria-label={`reference ${node.n}`}>
              [{node.n}]
            </a>
          </sup>
        );
      case 'card':
        return (
          <a
            key={i}
            href={node.url}
            target="_blank"
            rel="noopener noreferrer"
            class="card-link"
            onClick={(event) => {
              if (!onOpenCard || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0)
                return;
              event.preventDefault();
              onOpenCard(node.id);
            }}
          >
            {renderNodes(node.children, refPrefix, onOpenCard)}
          </a>
        );
      case 'element':
        return h(node.tag, { key: i }, ...renderNodes(node.children, refPrefix, onOpenCard));
      default:
        return null;
    }
  });
}

export interface ReferencesProps {
  items: readonly MdReference[];
  refPrefix: string;
}

/** The numbered reference list at the end of a card. */
export function References({ items, refPrefix }: ReferencesProps) {
  if (items.length === 0) return null;
  return (
    <section class="card-section references" aria-label="References">
      <h3>References</h3>
      <ol>
        {items.map((r) => (
          <li key={r.n} id={`${refPrefix}-${r.n}`} value={r.n}>
            {r.url ? (
              <a href={r.url} target="_blank" rel="noopener noreferrer">
                {r.label}
              </a>
            ) : (
              <span>{r.label}</span>
            )}
            {r.description && r.description !== r.label ? <span class="muted"> {r.description}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
