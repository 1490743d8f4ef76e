/**
 * URLs with an http, https, ftp or sftp scheme, including the defanged spellings (`hxxp`, `hXXps`, `fxp`, `[:]//`,
 * `[://]`, `(:)//`, defanged dots in the host). The host is a name (one label or more), an IPv4 address or a
 * bracketed IPv6 literal; then an optional port, path, query and fragment. Trailing punctuation and unbalanced
 * closing brackets are not part of the URL. The value is refanged, with the scheme and host lowercased and the rest
 * kept as written.
 */
import { CLASS, isAlnum, URL_TAIL } from './chars.ts';
import { defangColonLength, refangSpan } from './defang-marks.ts';
import { hostLabelCount } from './domain.ts';
import { hostRunFlags, RUN_DEFANGED, RUN_UPPER, RUN_WIDE, scanHostRun } from './host-run.ts';
import { formatIPv6, parseIPv6Groups } from './ipv6.ts';

export interface UrlMatch {
  end: number;
  value: string;
  defanged: boolean;
}

/** Scheme spellings (defanged ones included) and the scheme each stands for. */
const SCHEMES: readonly (readonly [string, string])[] = [
  ['http', 'http'],
  ['https', 'https'],
  ['ftp', 'ftp'],
  ['sftp', 'sftp'],
  ['hxxp', 'http'],
  ['hxtp', 'http'],
  ['htxp', 'http'],
  ['hxxps', 'https'],
  ['hxtps', 'https'],
  ['htxps', 'https'],
  ['fxp', 'ftp'],
  ['sfxp', 'sftp'],
];

/**
 * The entry of SCHEMES spelled (in any case) by the letters `[i, p)`, or -1. Compared in place: no slice per
 * candidate scheme.
 */
function schemeAt(text: string, i: number, p: number): number {
  for (let k = 0; k < SCHEMES.length; k++) {
    const spelling = (SCHEMES[k] as readonly [string, string])[0];
    if (spelling.length !== p - i) continue;
    let j = 0;
    while (j < spelling.length && (text.charCodeAt(i + j) | 32) === spelling.charCodeAt(j)) j++;
    if (j === spelling.length) return k;
  }
  return -1;
}

/** Whether `[i, p)` is written in lowercase (letters only there). */
function isLowercase(text: string, i: number, p: number): boolean {
  for (let k = i; k < p; k++) if (text.charCodeAt(k) < 97) return false;
  return true;
}

/** Length of the separator after a scheme at `p`: `://`, `[://]`, `[:]//`, `(:)//`; negative when defanged. */
function separatorLength(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === 58) return text.charCodeAt(p + 1) === 47 && text.charCodeAt(p + 2) === 47 ? 3 : 0;
  if (c === 91 && text.startsWith('://]', p + 1)) return -5;
  const colon = defangColonLength(text, p);
  if (colon > 0 && text.charCodeAt(p + colon) === 47 && text.charCodeAt(p + colon + 1) === 47)
    return -(colon + 2);
  return 0;
}

/** Scan a URL whose scheme starts at `i`, or return null. */
export function scanUrl(text: string, i: number): UrlMatch | null {
  let p = i;
  while (p < i + 6 && p < text.length) {
    const c = text.charCodeAt(p) | 32;
    if (c >= 97 && c <= 122) p++;
    else break;
  }
  const next = text.charCodeAt(p);
  if (next !== 58 && next !== 91 && next !== 40) return null;
  const entry = schemeAt(text, i, p);
  if (entry < 0) return null;
  const [spelling, scheme] = SCHEMES[entry] as readonly [string, string];
  // Written exactly as the scheme (`http`, not `hxxp` nor `HTTP`): the same test as before on the sliced text.
  const plain = spelling === scheme && isLowercase(text, i, p);
  const sep = separatorLength(text, p);
  if (sep === 0) return null;
  let defanged = sep < 0 || !plain;
  const authority = p + Math.abs(sep);

  // Userinfo: the last plain '@' before the end of the authority. Nearly always there is none: the host run that
  // starts the authority ends where the authority does, and is the host (read once, kept with its flags).
  let hostStart = authority;
  let hostRun = scanHostRun(text, authority);
  let hostFlags = hostRunFlags;
  if (!endsAuthority(text, hostRun)) {
    const limit = Math.min(text.length, authority + 256);
    for (let k = authority; k < limit; k++) {
      const c = text.charCodeAt(k);
      if (c === 64) hostStart = k + 1;
      else if (endsAuthority(text, k)) break;
    }
    if (hostStart !== authority) {
      hostRun = scanHostRun(text, hostStart);
      hostFlags = hostRunFlags;
    }
  }

  let host: string | null = null; // null: the host as written is already normalised
  let q: number;
  if (text.charCodeAt(hostStart) === 91 && text.charCodeAt(hostStart + 1) !== 46) {
    const close = text.indexOf(']', hostStart);
    if (close < 0 || close - hostStart > 48) return null;
    const parsed = parseIPv6Groups(text.slice(hostStart + 1, close));
    if (!parsed) return null;
    host = `[${formatIPv6(parsed.groups, parsed.dotted)}]`;
    q = close + 1;
  } else {
    if (!isAlnum(text.charCodeAt(hostStart))) return null;
    q = hostRun;
    while (q > hostStart && text.charCodeAt(q - 1) === 46) q--;
    if ((hostFlags & RUN_DEFANGED) !== 0) {
      defanged = true;
      host = refangSpan(text, hostStart, q).toLowerCase();
    } else if ((hostFlags & (RUN_UPPER | RUN_WIDE)) !== 0) {
      // A capital or a letter of another script (trimmed dots set neither flag).
      host = text.slice(hostStart, q).toLowerCase();
    }
    if (host === null ? !validUrlHost(text, hostStart, q) : !validUrlHost(host, 0, host.length)) return null;
  }
  const hostEnd = q;
  let port = '';
  const colon = text.charCodeAt(q) === 58 ? 1 : defangColonLength(text, q);
  if (colon > 0) {
    let d = q + colon;
    while (d < text.length && d < q + colon + 5 && text.charCodeAt(d) >= 48 && text.charCodeAt(d) <= 57) d++;
    if (d > q + colon) {
      if (colon > 1) defanged = true;
      port = `:${text.slice(q + colon, d)}`;
      q = d;
    }
  }
  // `http://http://evil.com`: the first "host" is a scheme; the real URL starts at the second one.
  if (text.charCodeAt(q) === 58 && text.charCodeAt(q + 1) === 47) return null;
  const tailStart = q;
  const c0 = text.charCodeAt(q);
  let end = q;
  let marks = false;
  if (c0 === 47 || c0 === 63 || c0 === 35) {
    const classes = CLASS; // a local: see detect()
    let round = 0; // '(' minus ')' in the tail, and likewise for square brackets, for trimUrlEnd
    let square = 0;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c < 128 && ((classes[c] as number) & URL_TAIL) !== 0) {
        if (c === 40) {
          round++;
          marks = true;
        } else if (c === 91) {
          square++;
          marks = true;
        } else if (c === 41) {
          round--;
        } else if (c === 93) {
          square--;
        }
        end++;
      } else {
        break;
      }
    }
    end = trimUrlEnd(text, tailStart, end, round, square);
  }
  let tail: string | null = null;
  if (marks) {
    tail = refangSpan(text, tailStart, end);
    if (tail.length !== end - tailStart) defanged = true;
  }
  if (!defanged && host === null) return { end, value: text.slice(i, end), defanged };
  const userinfo = hostStart > authority ? text.slice(authority, hostStart) : '';
  const hostText = host ?? text.slice(hostStart, hostEnd);
  return {
    end,
    value: `${scheme}://${userinfo}${hostText}${port}${tail ?? text.slice(tailStart, end)}`,
    defanged,
  };
}

/** Whether the character at `k` ends an authority: the end of the text, a space or control, `/ ? # " < >`. */
function endsAuthority(text: string, k: number): boolean {
  if (k >= text.length) return true;
  const c = text.charCodeAt(k);
  return c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 60 || c === 62;
}

function validUrlHost(text: string, s: number, e: number): boolean {
  if (hostLabelCount(text, s, e) > 0) return true;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || c === 46)) return false;
  }
  return e > s;
}

/**
 * Drop trailing punctuation and closing brackets that have no opening partner inside the URL tail `[start, end)`;
 * `round` and `square` are its count of opening minus closing brackets of each kind.
 */
function trimUrlEnd(text: string, start: number, end: number, round: number, square: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 39 || c === 42) {
      end--;
    } else if (c === 41 && round < 0) {
      round++;
      end--;
    } else if (c === 93 && square < 0) {
      square++;
      end--;
    } else {
      break;
    }
  }
  return end;
}
