/**
 * Character classes for the scanner: one table lookup per ASCII code unit, a few range tests above it.
 * Pure and allocation-free; everything in `lib/detect` dispatches on these.
 */
export const DIGIT = 1;
export const ALPHA = 2;
export const HEX = 4;
/** Characters a host name run is made of: letters, digits, `-`, `_`, `.`. */
export const HOST = 8;
/** Characters allowed in an email local part: letters, digits and `.!#$%&'*+/=?^_{|}~-` minus the rare ones. */
export const LOCAL = 16;
/** Characters that may start a token: letters, digits, `_`, `:` (for `::1`). */
export const START = 32;
/** Characters kept inside a URL after the host (path, query, fragment). */
export const URL_TAIL = 64;

export const CLASS = new Uint8Array(128);
(() => {
  for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT | HEX | HOST | LOCAL | START | URL_TAIL;
  for (let c = 65; c <= 90; c++) {
    const hex = c <= 70 ? HEX : 0;
    CLASS[c] = ALPHA | hex | HOST | LOCAL | START | URL_TAIL;
    CLASS[c + 32] = ALPHA | hex | HOST | LOCAL | START | URL_TAIL;
  }
  const add = (chars: string, bits: number) => {
    for (let k = 0; k < chars.length; k++) {
      const c = chars.charCodeAt(k);
      CLASS[c] = (CLASS[c] as number) | bits;
    }
  };
  add('-.', HOST | LOCAL | URL_TAIL);
  add('_', HOST | LOCAL | START | URL_TAIL);
  add('+%', LOCAL | URL_TAIL);
  add(':', START | URL_TAIL);
  add("/?#[]@!$&()*,;=~'", URL_TAIL);
  // Deliberately not in URL_TAIL: space and controls, `"`, `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`.
  // A `'` is kept (it is legal in paths) and trimmed when it ends a URL.
})();

/** A letter outside ASCII (IDN labels, text in other scripts); punctuation, spaces, symbols and surrogates are not. */
export function isWideLetter(c: number): boolean {
  if (!(c >= 0xc0)) return false; // also NaN (past the end of the text)
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false; // punctuation, symbols, arrows, box drawing
  if (c >= 0x2e00 && c <= 0x2e7f) return false;
  if (c >= 0x3000 && c <= 0x303f) return false; // CJK punctuation
  if (c >= 0xd800 && c <= 0xdfff) return false; // surrogates (emoji and friends)
  if (c >= 0xfe30 && c <= 0xfe4f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false; // fullwidth punctuation
  if (c >= 0xff3b && c <= 0xff40) return false;
  if (c >= 0xff5b && c <= 0xff65) return false;
  if (c === 0xfeff) return false;
  return true;
}

export function isHostChar(c: number): boolean {
  return c < 128 ? ((CLASS[c] as number) & HOST) !== 0 : isWideLetter(c);
}

export function isAlnum(c: number): boolean {
  return c < 128 ? ((CLASS[c] as number) & (DIGIT | ALPHA)) !== 0 : isWideLetter(c);
}

export function isHexDigit(c: number): boolean {
  return c < 128 && ((CLASS[c] as number) & HEX) !== 0;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether `[s, e)` is a non-empty run of ASCII digits. */
export function allDigits(text: string, s: number, e: number): boolean {
  if (s >= e) return false;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether `[s, e)` is made of hex digits only (true when empty). */
export function allHexDigits(text: string, s: number, e: number): boolean {
  const classes = CLASS; // a local: a module binding is re-read through its context on every use
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (!(c < 128 && ((classes[c] as number) & HEX) !== 0)) return false;
  }
  return true;
}

/** ASCII letters, digits and `_`: what a regex `\w` means, used for word boundaries. */
export function isWordChar(c: number): boolean {
  return c < 128 ? ((CLASS[c] as number) & (DIGIT | ALPHA)) !== 0 || c === 95 : isWideLetter(c);
}
