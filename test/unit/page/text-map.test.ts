// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { BlockWalker, type WalkedBlock } from '../../../lib/page/block-walker';
import { locate, nodeIndexAt } from '../../../lib/page/text-block';

function blocksOf(html: string, onShadow: (root: ShadowRoot) => void = () => undefined): WalkedBlock[] {
  document.body.innerHTML = html;
  const walker = new BlockWalker(document.body, onShadow);
  const out: WalkedBlock[] = [];
  for (let block = walker.next(); block || walker.active; block = walker.next()) if (block) out.push(block);
  return out.filter((b) => /\S/.test(b.text));
}

function rangeText(block: WalkedBlock, start: number, end: number): string {
  const at = locate(block, start, end);
  if (!at) throw new Error('not located');
  const range = document.createRange();
  range.setStart(at.startNode, at.startOffset);
  range.setEnd(at.endNode, at.endOffset);
  return range.toString();
}

describe('text blocks', () => {
  it('joins text across inline elements and maps offsets back to the right nodes', () => {
    const [block] = blocksOf('<p>src 10.1.<em>2.3</em> to <b>evil</b>.com done</p>');
    expect(block?.text).toBe('src 10.1.2.3 to evil.com done');
    const ip = block?.text.indexOf('10.1.2.3') ?? -1;
    const at = locate(block as WalkedBlock, ip, ip + 8);
    expect(at?.startNode.data).toBe('src 10.1.');
    expect(at?.startOffset).toBe(4);
    expect(at?.endNode.data).toBe('2.3');
    expect(at?.endOffset).toBe(3);
    expect(rangeText(block as WalkedBlock, ip, ip + 8)).toBe('10.1.2.3');
    const domain = block?.text.indexOf('evil.com') ?? -1;
    expect(rangeText(block as WalkedBlock, domain, domain + 8)).toBe('evil.com');
  });

  it('never starts a range at the end of a node nor ends it at the start of the next', () => {
    const [block] = blocksOf('<div><span>ab</span><span>cd</span></div>');
    const at = locate(block as WalkedBlock, 2, 4);
    expect(at?.startNode.data).toBe('cd');
    expect(at?.startOffset).toBe(0);
    const before = locate(block as WalkedBlock, 0, 2);
    expect(before?.endNode.data).toBe('ab');
    expect(before?.endOffset).toBe(2);
    expect(nodeIndexAt(block as WalkedBlock, 3)).toBe(1);
    expect(locate(block as WalkedBlock, 3, 9)).toBeNull();
  });

  it('splits at block elements: cells, rows, paragraphs, line breaks', () => {
    const blocks = blocksOf(
      '<table><tr><td>10.0.0.1</td><td>10.0.0.2</td></tr></table><div>a<p>b</p>c</div>x<br>y',
    );
    expect(blocks.map((b) => b.text)).toEqual(['10.0.0.1', '10.0.0.2', 'a', 'b', 'c', 'x', 'y']);
  });

  it('does not read scripts, styles, form fields, editable regions, code editors, hidden or Riposte UI', () => {
    const blocks = blocksOf(`
      <p>visible 1.1.1.1</p>
      <script>var ip = "2.2.2.2"</script><style>.x{}</style><noscript>3.3.3.3</noscript>
      <template><p>4.4.4.4</p></template><textarea>5.5.5.5</textarea><input value="6.6.6.6">
      <select><option>7.7.7.7</option></select><div contenteditable="true">8.8.8.8</div>
      <div contenteditable="false">editable-off 9.9.9.9</div>
      <div class="cm-editor"><div class="cm-line">10.10.10.10</div></div>
      <div class="monaco-editor x">11.11.11.11</div><div class="ace_editor">12.12.12.12</div>
      <div hidden>13.13.13.13</div><riposte-ui>14.14.14.14</riposte-ui>`);
    expect(blocks.map((b) => b.text.trim())).toEqual(['visible 1.1.1.1', 'editable-off 9.9.9.9']);
  });

  it('hands open shadow roots to the caller', () => {
    document.body.innerHTML = '<div id="host"></div>';
    const host = document.getElementById('host') as HTMLElement;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p>inside 203.0.113.5</p>';
    const found: ShadowRoot[] = [];
    const walker = new BlockWalker(document.body, (root) => found.push(root));
    while (walker.active) walker.next();
    expect(found).toEqual([shadow]);
    const inner = new BlockWalker(shadow, () => undefined);
    expect(inner.next()?.text).toBe('inside 203.0.113.5');
  });
});
