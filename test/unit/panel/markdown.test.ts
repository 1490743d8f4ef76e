import { describe, expect, it } from 'vitest';
import { cardIdOfUrl, type MdNode, parseMarkdown, ReferenceList, textOf } from '../../../lib/panel/markdown';

function find(nodes: MdNode[], kind: MdNode['kind']): MdNode[] {
  const out: MdNode[] = [];
  for (const n of nodes) {
    if (n.kind === kind) out.push(n);
    if (n.kind === 'element' || n.kind === 'card') out.push(...find(n.children, kind));
  }
  return out;
}

describe('parseMarkdown', () => {
  it('turns citations and external links into one numbered reference list, in reading order', () => {
    const refs = new ReferenceList([{ name: 'Microsoft LSA', url: 'https://docs.microsoft.com/lsa' }]);
    const nodes = parseMarkdown(
      'See [the blog](https://blog.example/post). LSASS holds secrets. (Citation: Microsoft LSA)(Citation: Unknown Report)',
      refs,
    );
    expect(textOf(nodes)).toBe('See the blog[1]. LSASS holds secrets.[2][3]');
    expect(refs.items).toEqual([
      { n: 1, label: 'the blog', url: 'https://blog.example/post' },
      { n: 2, label: 'Microsoft LSA', url: 'https://docs.microsoft.com/lsa' },
      { n: 3, label: 'Unknown Report' },
    ]);
  });

  it('shares numbers across texts of one card and reuses a number for the same source', () => {
    const refs = new ReferenceList();
    const first = parseMarkdown('A (Citation: X)', refs);
    const second = parseMarkdown('B (Citation: Y) and again (Citation: X)', refs);
    expect(textOf(first)).toBe('A[1]');
    expect(textOf(second)).toBe('B[2] and again[1]');
  });

  it('keeps a citation name with markdown characters intact', () => {
    const refs = new ReferenceList();
    parseMarkdown('Text (Citation: some_report_*2024*)', refs);
    expect(refs.items[0]?.label).toBe('some_report_*2024*');
  });

  it('makes attack.mitre.org links card links instead of references', () => {
    const refs = new ReferenceList();
    const nodes = parseMarkdown(
      '[Mimikatz](https://attack.mitre.org/software/S0002) dumps [LSASS Memory](https://attack.mitre.org/techniques/T1003/001).',
      refs,
    );
    expect(find(nodes, 'card').map((n) => (n.kind === 'card' ? n.id : ''))).toEqual(['S0002', 'T1003.001']);
    expect(refs.items).toEqual([]);
    expect(cardIdOfUrl('https://attack.mitre.org/groups/G0016/')).toBe('G0016');
    expect(cardIdOfUrl('https://evil.example/attack.mitre.org/groups/G0016')).toBeUndefined();
  });

  it('never lets HTML or script URLs through: raw HTML stays text, javascript: links lose their target', () => {
    const refs = new ReferenceList([{ name: 'Bad', url: 'javascript:alert(1)' }]);
    const nodes = parseMarkdown(
      '<img src=x onerror=alert(1)> <script>alert(1)</script> [click](javascript:alert(1)) (Citation: Bad)',
      refs,
    );
    expect(textOf(nodes)).toContain('<img src=x onerror=alert(1)>');
    expect(textOf(nodes)).toContain('<script>alert(1)</script>');
    const tags = new Set<string>();
    const walk = (list: MdNode[]) => {
      for (const n of list)
        if (n.kind === 'element' || n.kind === 'card') {
          if (n.kind === 'element') tags.add(n.tag);
          walk(n.children);
        }
    };
    walk(nodes);
    expect([...tags].every((t) => ['p', 'strong', 'em', 'code'].includes(t))).toBe(true);
    expect(refs.items).toEqual([{ n: 1, label: 'Bad' }]);
  });

  it("renders ATT&CK's literal <code> tags as code and lists as lists", () => {
    const refs = new ReferenceList();
    const nodes = parseMarkdown(
      'Run <code>rundll32.exe comsvcs.dll</code>:\n\n* one\n* **two**\n\n# Title',
      refs,
    );
    const code = find(nodes, 'element').filter((n) => n.kind === 'element' && n.tag === 'code');
    expect(textOf(code)).toBe('rundll32.exe comsvcs.dll');
    const tags = find(nodes, 'element').map((n) => (n.kind === 'element' ? n.tag : ''));
    expect(tags).toEqual(expect.arrayContaining(['ul', 'li', 'strong', 'h4']));
    expect(tags).not.toContain('h1');
  });
});
