/**
 * The defanging marks analysts put into indicators, recognised at a position of the text as written:
 * dots `[.]` `(.)` `{.}` `[dot]` `(dot)` `{dot}` `\.`, at-signs `[@]` `(@)` `{@}` `[at]` `(at)` `{at}`, colons `[:]`
 * `(:)` and the scheme separator `[://]`. Each function returns the length of the mark at `p` (0 when there is none),
 * so the scanner can step over it and keep offsets into the text as written. A bracketed dot mark may also stand
 * between spaces, as some threat reports write it (`evil [.] com`, `evil [dot] com`).
 */

const OPEN_SQUARE = 91;
const OPEN_ROUND = 40;
const OPEN_CURLY = 123;
const BACKSLASH = 92;

function closerOf(open: number): number {
  return open === OPEN_SQUARE ? 93 : open === OPEN_ROUND ? 41 : open === OPEN_CURLY ? 125 : -1;
}

/** `[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`, `{dot}` (any case) or `\.` at `p`. */
export function defangDotLength(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === BACKSLASH) return text.charCodeAt(p + 1) === 46 ? 2 : 0;
  const close = closerOf(c);
  if (close < 0) return 0;
  const d = text.charCodeAt(p + 1);
  if (d === 46) return text.charCodeAt(p + 2) === close ? 3 : 0;
  if ((d | 32) === 100 && (text.charCodeAt(p + 2) | 32) === 111 && (text.charCodeAt(p + 3) | 32) === 116) {
    return text.charCodeAt(p + 4) === close ? 5 : 0;
  }
  return 0;
}

/**
 * A defanged dot at `p` as the scanner steps over it: `defangDotLength`'s marks, and a bracketed one with a single
 * space before it, after it or both (`evil [.] com`, `evil[dot] com`; at `p` is then the space or the bracket). The
 * length covers the spaces; 0 when there is none. `\.` and `(.)` take no spaces: between spaces, `(.)` is as likely
 * prose about a regex ("any character (.) in") as a defanged dot.
 */
export function dotMarkLength(text: string, p: number): number {
  const spaceBefore = text.charCodeAt(p) === 32;
  const q = spaceBefore ? p + 1 : p;
  const open = text.charCodeAt(q);
  // Every host run that ends at a space asks; nearly always the answer is no, told by one character.
  if (open !== OPEN_SQUARE && open !== OPEN_ROUND && open !== OPEN_CURLY && open !== BACKSLASH) return 0;
  const m = defangDotLength(text, q);
  if (m === 0) return 0;
  if (open === BACKSLASH || (open === OPEN_ROUND && m === 3)) return spaceBefore ? 0 : m;
  return q - p + m + (text.charCodeAt(q + m) === 32 ? 1 : 0);
}

/** `@`, `[@]`, `(@)`, `{@}`, `[at]`, `(at)`, `{at}` (any case) at `p`. */
export function atSignLength(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === 64) return 1;
  const close = closerOf(c);
  if (close < 0 || c === BACKSLASH) return 0;
  const d = text.charCodeAt(p + 1);
  if (d === 64) return text.charCodeAt(p + 2) === close ? 3 : 0;
  if ((d | 32) === 97 && (text.charCodeAt(p + 2) | 32) === 116)
    return text.charCodeAt(p + 3) === close ? 4 : 0;
  return 0;
}

/** `[:]` or `(:)` at `p` (a plain `:` is not a mark). */
export function defangColonLength(text: string, p: number): number {
  const c = text.charCodeAt(p);
  const close = closerOf(c);
  if (close < 0 || c === BACKSLASH) return 0;
  return text.charCodeAt(p + 1) === 58 && text.charCodeAt(p + 2) === close ? 3 : 0;
}

/** The span `[s, e)` with every defanging mark replaced by the character it stands for. */
export function refangSpan(text: string, s: number, e: number): string {
  let out = '';
  let last = s;
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p);
    if (c !== OPEN_SQUARE && c !== OPEN_ROUND && c !== OPEN_CURLY && c !== BACKSLASH && c !== 32) continue;
    let n = dotMarkLength(text, p);
    // A space just past the span is not the span's to drop.
    if (p + n > e) n = c === 32 ? 0 : defangDotLength(text, p);
    if (n === 0 && c === 32) continue;
    let replacement = '.';
    if (n === 0) {
      n = atSignLength(text, p);
      replacement = '@';
    }
    if (n === 0) {
      n = defangColonLength(text, p);
      replacement = ':';
    }
    if (n === 0 && c === OPEN_SQUARE && text.startsWith('://]', p + 1)) {
      n = 5;
      replacement = '://';
    }
    if (n === 0 || p + n > e) continue;
    out += text.slice(last, p) + replacement;
    p += n - 1;
    last = p + 1;
  }
  return last === s ? text.slice(s, e) : out + text.slice(last, e);
}
