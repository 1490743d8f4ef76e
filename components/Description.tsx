import { useState } from 'preact/hooks';
import type { MdNode } from '../lib/panel/markdown';
import { Markdown } from './Markdown';

/** A card's description: long ones start folded to a few lines, so that the card's lists stay in reach. */
export function Description({
  nodes,
  length,
  refPrefix,
  onOpenCard,
}: {
  nodes: readonly MdNode[];
  /** Length of the source text; folding starts above 700 characters. */
  length: number;
  refPrefix: string;
  onOpenCard: (id: string) => void;
}) {
  const long = length > 700;
  const [open, setOpen] = useState(false);
  return (
    <div class={long && !open ? 'description folded' : 'description'}>
      <Markdown nodes={nodes} refPrefix={refPrefix} onOpenCard={onOpenCard} />
      {long ? (
        <button type="button" class="linklike more" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : 'Show the full description'}
        </button>
      ) : null}
    </div>
  );
}
