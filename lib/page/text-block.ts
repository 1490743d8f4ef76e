/**
 * A text block: the text nodes of one line of reading (a table cell, a paragraph, a log line), in document order,
 * with where each one starts in the joined string. Detection runs on the joined string; `locate` maps an offset
 * range of it back to DOM positions, so an indicator split across inline elements (`10.1.<em>2.3</em>`) is one hit.
 */
export interface TextBlock {
  nodes: Text[];
  /** `starts[i]` is the offset of `nodes[i]` in the joined text; ascending. */
  starts: number[];
  /** Length of the joined text. */
  length: number;
}

export interface BlockPosition {
  startNode: Text;
  startOffset: number;
  endNode: Text;
  endOffset: number;
}

/** Index of the node holding offset `at` (the last node starting at or before it). */
export function nodeIndexAt(block: TextBlock, at: number): number {
  const { starts } = block;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * DOM positions of `[start, end)` in the block's joined text. The start is placed in the node that contains the
 * first character, the end in the node that contains the last one, so a range never starts at the very end of a
 * node (which would paint nothing there) nor ends at offset 0 of the next.
 */
export function locate(block: TextBlock, start: number, end: number): BlockPosition | null {
  if (start < 0 || end > block.length || end <= start || block.nodes.length === 0) return null;
  const first = nodeIndexAt(block, start);
  const last = nodeIndexAt(block, end - 1);
  const startNode = block.nodes[first];
  const endNode = block.nodes[last];
  if (!startNode || !endNode) return null;
  return {
    startNode,
    startOffset: start - (block.starts[first] as number),
    endNode,
    endOffset: end - (block.starts[last] as number),
  };
}

/** Offset in the joined text of DOM position (node, offset), or -1 when the node is not in the block. */
export function offsetOf(block: TextBlock, node: Text, offset: number): number {
  const index = block.nodes.indexOf(node);
  if (index < 0) return -1;
  return (block.starts[index] as number) + offset;
}
