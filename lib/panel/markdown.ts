import MarkdownIt, { type Token } from 'markdown-it';

/**
 * ATT&CK / D3FEND markdown -> a small, inert tree that `components/Markdown.tsx` turns into Preact VNodes. Nothing
 * here produces HTML: markdown-it runs with `html: false` (raw HTML stays text), only a fixed set of tags can appear,
 * and links become either a card link (attack.mitre.org pages, opened inside the panel) or a numbered reference.
 * `(Citation: Name)` markers become numbered references too, shared by every text of one card through a
 * `ReferenceList`, numbered in reading order.
 */
export type BlockTag =
  | 'p'
  | 'h4'
  | 'h5'
  | 'h6'
  | 'ul'
  | 'ol'
  | 'li'
  | 'blockquote'
  | 'pre'
  | 'table'
  | 'thead'
  | 'tbody'
  | 'tr'
  | 'th'
  | 'td';
export type InlineTag = 'strong' | 'em' | 's' | 'code' | 'br' | 'hr';
export type MdTag = BlockTag | InlineTag;

export type MdNode =
  | { kind: 'text'; text: string }
  | { kind: 'element'; tag: MdTag; children: MdNode[] }
  /** A numbered reference marker (citation, or the end of an external link's text). */
  | { kind: 'ref'; n: number }
  /** A link to another card of the panel. */
  | { kind: 'card'; id: string; url: string; children: MdNode[] };

export interface MdReference {
  n: number;
  /** Citation name or link text. */
  label: string;
  /** Only http(s) URLs; absent when the citation is not known. */
  url?: string;
  description?: string;
}

export interface CitationSource {
  name: string;
  url?: string;
  description?: string;
}

/** The references of one card: citations and external links, numbered in the order they are first met. */
export class ReferenceList {
  readonly items: MdReference[] = [];
  private byKey = new Map<string, number>();
  private sources = new Map<string, CitationSource>();

  constructor(sources: readonly CitationSource[] = []) {
    for (const s of sources) this.sources.set(s.name.trim().toLowerCase(), s);
  }

  cite(name: string): number {
    const label = name.trim();
    const source = this.sources.get(label.toLowerCase());
    const url = safeUrl(source?.url);
    return this.add(`cite:${label.toLowerCase()}`, {
      label,
      ...(url ? { url } : {}),
      ...(source?.description ? { description: source.description } : {}),
    });
  }

  link(url: string, label: string): number {
    return this.add(`url:${url}`, { label: label.trim() || url, url });
  }

  private add(key: string, item: Omit<MdReference, 'n'>): number {
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const n = this.items.length + 1;
    this.byKey.set(key, n);
    this.items.push({ n, ...item });
    return n;
  }
}

export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const ATTACK_PAGE =
  /^https?:\/\/attack\.mitre\.org\/(?:techniques|tactics|groups|software|mitigations|campaigns)\/((?:T|TA|G|S|M|C)\d{4})(?:\/(\d{3}))?\/?$/i;

/** The card id an attack.mitre.org link points at (`…/techniques/T1003/001` -> `T1003.001`). */
export function cardIdOfUrl(url: string): string | undefined {
  const m = ATTACK_PAGE.exec(url);
  if (!m?.[1]) return undefined;
  return m[2] ? `${m[1].toUpperCase()}.${m[2]}` : m[1].toUpperCase();
}

const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
const CITE_OPEN = '\uE000';
const CITE_CLOSE = '\uE001';
const CITE_MARK = new RegExp(`${CITE_OPEN}(\\d+)${CITE_CLOSE}`, 'g');

function inlineCode(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

/** Parse one markdown text; its citations and links are added to `refs`. */
export function parseMarkdown(source: string, refs: ReferenceList): MdNode[] {
  const citations: string[] = [];
  const prepared = source
    // ATT&CK writes inline code as literal <code> tags; with html off they would show as text.
    .replace(/<code>([\s\S]*?)<\/code>/gi, (_m, code: string) => inlineCode(code))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/\(Citation:\s*([^)]*?)\s*\)/g, (_m, name: string) => {
      citations.push(name);
      return `${CITE_OPEN}${citations.length - 1}${CITE_CLOSE}`;
    });
  const tokens = md.parse(prepared, {});
  return blocks(tokens, citations, refs);
}

const BLOCK_TAGS = new Set<string>([
  'p',
  'ul',
  'ol',
  'li',
  'blockquote',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);

function blockTag(token: Token): MdTag | undefined {
  if (/^h[1-6]$/.test(token.tag)) {
    const level = Math.min(6, Math.max(4, Number(token.tag.slice(1)) + 3));
    return `h${level}` as MdTag;
  }
  return BLOCK_TAGS.has(token.tag) ? (token.tag as MdTag) : undefined;
}

function blocks(tokens: Token[], citations: string[], refs: ReferenceList): MdNode[] {
  const root: MdNode[] = [];
  const stack: MdNode[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (const token of tokens) {
    if (token.nesting === 1) {
      const tag = token.hidden ? undefined : blockTag(token);
      if (tag) {
        const element: MdNode = { kind: 'element', tag, children: [] };
        top().push(element);
        stack.push(element.children);
      } else stack.push(top()); // a hidden paragraph (tight list) or an unknown block: keep its content in place
      continue;
    }
    if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    switch (token.type) {
      case 'inline':
        top().push(...inline(token.children ?? [], citations, refs));
        break;
      case 'fence':
      case 'code_block':
        top().push({
          kind: 'element',
          tag: 'pre',
          children: [{ kind: 'element', tag: 'code', children: [{ kind: 'text', text: token.content }] }],
        });
        break;
      case 'hr':
        top().push({ kind: 'element', tag: 'hr', children: [] });
        break;
      default:
        if (token.content) top().push(...textWithCitations(token.content, citations, refs));
    }
  }
  return root;
}

function textWithCitations(text: string, citations: string[], refs: ReferenceList): MdNode[] {
  const out: MdNode[] = [];
  let last = 0;
  for (const m of text.matchAll(CITE_MARK)) {
    const before = text.slice(last, m.index);
    // "used PowerShell. (Citation: X)" -> "used PowerShell.[1]"
    if (before) out.push({ kind: 'text', text: before.replace(/\s+$/, '') });
    const name = citations[Number(m[1])];
    if (name !== undefined) out.push({ kind: 'ref', n: refs.cite(name) });
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  if (rest) out.push({ kind: 'text', text: rest });
  return mergeText(out);
}

function mergeText(nodes: MdNode[]): MdNode[] {
  const out: MdNode[] = [];
  for (const node of nodes) {
    const prev = out[out.length - 1];
    if (node.kind === 'text' && prev?.kind === 'text') prev.text += node.text;
    else if (node.kind !== 'text' || node.text) out.push(node);
  }
  return out;
}

/** Plain text of inline tokens (a link's label). */
function plain(tokens: Token[]): string {
  return tokens
    .map((t) => (t.type === 'text' || t.type === 'code_inline' || t.type === 'text_special' ? t.content : ''))
    .join('')
    .replace(CITE_MARK, '');
}

const INLINE_TAGS: Record<string, InlineTag> = {
  strong_open: 'strong',
  em_open: 'em',
  s_open: 's',
};

function inline(tokens: Token[], citations: string[], refs: ReferenceList): MdNode[] {
  const root: MdNode[] = [];
  const stack: { children: MdNode[]; close?: () => void }[] = [{ children: root }];
  const top = () => (stack[stack.length - 1] ?? { children: root }).children;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const tag = INLINE_TAGS[token.type];
    if (tag) {
      const element: MdNode = { kind: 'element', tag, children: [] };
      top().push(element);
      stack.push({ children: element.children });
      continue;
    }
    switch (token.type) {
      case 'strong_close':
      case 'em_close':
      case 's_close':
        if (stack.length > 1) stack.pop();
        break;
      case 'link_open': {
        const href = String(token.attrGet('href') ?? '');
        let depth = 1;
        let j = i + 1;
        for (; j < tokens.length; j++) {
          const t = tokens[j] as Token;
          if (t.type === 'link_open') depth++;
          if (t.type === 'link_close' && --depth === 0) break;
        }
        const inner = tokens.slice(i + 1, j);
        const children = inline(inner, citations, refs);
        const cardId = cardIdOfUrl(href);
        const url = safeUrl(href);
        if (cardId && url) top().push({ kind: 'card', id: cardId, url, children });
        else if (url) {
          top().push(...children);
          top().push({ kind: 'ref', n: refs.link(url, plain(inner)) });
        } else top().push(...children);
        i = j;
        break;
      }
      case 'link_close':
        break;
      case 'code_inline':
        top().push({ kind: 'element', tag: 'code', children: [{ kind: 'text', text: token.content }] });
        break;
      case 'softbreak':
        top().push({ kind: 'text', text: ' ' });
        break;
      case 'hardbreak':
        top().push({ kind: 'element', tag: 'br', children: [] });
        break;
      case 'image':
        // No remote images in the panel: keep the alt text.
        top().push({ kind: 'text', text: plain(token.children ?? []) || token.content });
        break;
      default:
        if (token.content) top().push(...textWithCitations(token.content, citations, refs));
    }
  }
  return mergeText(root);
}

/** The text of a tree (tests, accessible names). */
export function textOf(nodes: readonly MdNode[]): string {
  return nodes
    .map((n) =>
      n.kind === 'text'
        ? n.text
        : n.kind === 'ref'
          ? `[${n.n}]`
          : n.kind === 'card' || n.kind === 'element'
            ? textOf(n.children)
            : '',
    )
    .join('');
}
