import { useMemo } from 'preact/hooks';
import {
  type CitationSource,
  type MdNode,
  type MdReference,
  parseMarkdown,
  ReferenceList,
} from '../lib/panel/markdown';

/**
 * Parses a card's long texts (description, legacy detection, D3FEND article) into trees that share one numbered
 * reference list. `sources` resolves citation names to URLs when the card carries them.
 */
export function useCardText(
  texts: readonly string[],
  sources: readonly CitationSource[] | undefined,
): { trees: MdNode[][]; references: MdReference[] } {
  return useMemo(() => {
    const refs = new ReferenceList(sources ?? []);
    const trees = texts.map((t) => (t ? parseMarkdown(t, refs) : []));
    return { trees, references: refs.items };
  }, [texts.join('\u0000'), sources]);
}
