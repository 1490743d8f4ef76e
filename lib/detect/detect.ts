/**
 * `detect(text)`: every indicator and ATT&CK / D3FEND id in a text, in one left-to-right pass.
 *
 * The scanner walks the text once with a character-class table. At each token start (a letter, digit, `_` or `:`
 * not glued to a preceding word) it skips a log timestamp whole, or tries, in order: a URL (for `h`, `f`, `s`), an
 * IPv6 address (for hex digits and `::`), then takes the run of host characters (with defanged dots) and reads it as
 * an email local part (when an at-sign follows), an IPv4 address or CIDR, a dotted ATT&CK sub-technique, a hash, a
 * domain, or, for a run with no dot, an id (CVE, ASN, ATT&CK, D3FEND), a hash or a Bitcoin address. After a match
 * it resumes past the match; otherwise past the run. Every look-ahead is bounded or consumed, so the whole scan is
 * linear in the text.
 *
 * Overlaps resolve by construction: a URL is consumed before the host inside it is looked at, an email replaces
 * whatever was found in its local part, and a hash is tried before a wallet. Results come out sorted by `start`.
 */
import { bitcoinAddress } from './btc.ts';
import { CLASS, isHostChar, isWideLetter, START } from './chars.ts';
import { atSignLength, defangColonLength, dotMarkLength, refangSpan } from './defang-marks.ts';
import { type DomainVerdict, domainVerdict, hostFieldBefore, isIcannTld, NOT_A_DOMAIN } from './domain.ts';
import { scanEmail } from './email.ts';
import { hashType } from './hash.ts';
import {
  hostRunFlags,
  RUN_ALPHA,
  RUN_DASH,
  RUN_DEFANGED,
  RUN_DIGIT,
  RUN_DOT,
  RUN_NONHEX,
  RUN_UNDERSCORE,
  RUN_UPPER,
  RUN_WIDE,
  scanHostRun,
} from './host-run.ts';
import { ipv4ScopeOf, ipv6Scope } from './ip-scope.ts';
import { parseIPv4Number } from './ipv4.ts';
import { scanIPv6 } from './ipv6.ts';
import { knowledgeId } from './knowledge-id.ts';
import { Sink } from './sink.ts';
import { SpanCache } from './span-cache.ts';
import { timestampEnd } from './timestamp.ts';
import type { Indicator, IndicatorType, IpScope } from './types.ts';
import { scanUrl } from './url.ts';

const dottedCache = new SpanCache<DomainVerdict>(16);
/** Last labels as written -> whether they are ICANN TLDs; few and hot, so small. */
const tldCache = new SpanCache<boolean>(9);

/**
 * Append one indicator, built by one of four object literals: `scope` only on addresses, `defanged` only when true.
 * Measured against one literal with both properties always present (undefined when they do not apply): the smaller
 * objects cost less to allocate and collect, ~5-10% of a run on the log corpus where most results are kept.
 */
function push(
  out: Sink,
  type: IndicatorType,
  value: string,
  start: number,
  end: number,
  defanged: boolean,
  scope?: IpScope,
): void {
  if (defanged) {
    out.add(scope ? { type, value, start, end, scope, defanged } : { type, value, start, end, defanged });
  } else {
    out.add(scope ? { type, value, start, end, scope } : { type, value, start, end });
  }
}

/** Whether `i` starts a token: the previous character is not part of a word (dots and dashes looked through). */
function isTokenStart(text: string, i: number): boolean {
  let p = i - 1;
  while (p >= 0 && p > i - 4) {
    const c = text.charCodeAt(p);
    if (c !== 46 && c !== 45) break;
    p--;
  }
  if (p < 0) return true;
  const c = text.charCodeAt(p);
  if (p === i - 1) return !isHostChar(c);
  // Looked through '.' or '-': a word before them glues this token to it (`v2.1`, `foo-1.2.3.4`).
  return c < 128 ? ((CLASS[c] as number) & START) === 0 || c === 58 : !isWideLetter(c);
}

/**
 * Characters at least one of which every indicator contains: a digit, `.`, `:`, `@`, or the opening of a defanging
 * mark (TRIGGER). Text between them (plain words) cannot hold an indicator, so the scan jumps over it. Near the
 * last token (logs have a trigger every dozen characters) it tests one code unit at a time against a table,
 * remembering where the current word began (after the last character that is not a host character, SEPARATOR) so
 * it never walks back; past NEAR characters without a trigger (prose) it hands over to one native regex search,
 * whose fixed cost per call is then worth it, and backs up to the start of the word from there.
 */
const SEPARATOR = 1;
const TRIGGER = 2;
const SKIP = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (!isHostChar(c)) table[c] = SEPARATOR;
  for (const c of '0123456789.:@[({\\') table[c.charCodeAt(0)] = TRIGGER;
  return table;
})();
const NEAR = 24;
/** The same characters as TRIGGER in SKIP. A single class: it cannot backtrack. */
const TRIGGER_SEARCH = /[0-9.:@[({\\]/g;

/** Where the host characters just before `p` begin, looking back no further than `floor`. */
function hostWordStart(text: string, p: number, floor: number): number {
  let k = p;
  while (k > floor && isHostChar(text.charCodeAt(k - 1))) k--;
  return k;
}

export function detect(text: string): Indicator[] {
  // The tables in locals: a module binding is read through its context (with a check that it is initialised) on
  // every use, which in these loops costs more than the lookup itself.
  const skip = SKIP;
  const classes = CLASS;
  const out = new Sink();
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Find the next trigger and the start of the word holding it (never before where the last token ended).
    let trigger = i;
    let wordStart = i;
    const near = Math.min(n, i + NEAR);
    while (trigger < near) {
      const c = text.charCodeAt(trigger);
      if (c < 128) {
        const kind = skip[c] as number;
        if (kind === TRIGGER) break;
        if (kind === SEPARATOR) wordStart = trigger + 1;
      } else if (!isWideLetter(c)) {
        wordStart = trigger + 1;
      }
      trigger++;
    }
    if (trigger === n) break;
    if (trigger === near) {
      TRIGGER_SEARCH.lastIndex = near;
      if (!TRIGGER_SEARCH.test(text)) break;
      trigger = TRIGGER_SEARCH.lastIndex - 1;
      wordStart = hostWordStart(text, trigger, i);
    }
    // A defanged dot between spaces (`evil [.] com`): the host starts with the word before the space.
    if (
      wordStart === trigger &&
      trigger > i + 1 &&
      text.charCodeAt(trigger - 1) === 32 &&
      dotMarkLength(text, trigger - 1) > 0
    )
      wordStart = hostWordStart(text, trigger - 1, i);
    // A word found past where the last token ended starts after a separator: a token if it starts like one.
    const fresh = wordStart > i ? wordStart : -1;
    i = wordStart;
    while (i <= trigger) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (((classes[c] as number) & START) === 0) {
          i++;
          continue;
        }
        if (c >= 48 && c <= 57) {
          // A plain number (a port, a pid, a byte count: a log row has several) is read here and skipped: digits
          // ending at a separator are too short for a hash and no more than that. Anything else goes to `token`.
          let e = i + 1;
          while (e < n) {
            const d = text.charCodeAt(e);
            if (d < 48 || d > 57) break;
            e++;
          }
          if (e - i < 26 && endsPlainNumber(text, e, skip)) {
            i = e;
            continue;
          }
        }
      } else if (!isWideLetter(c)) {
        i++;
        continue;
      }
      if (i !== fresh && i > 0 && !isTokenStart(text, i)) {
        i = Math.max(i + 1, scanHostRun(text, i));
        continue;
      }
      i = token(text, i, out);
    }
  }
  return out.toArray();
}

/**
 * Whether a run of digits ending at `e` is a plain number, nothing more: the text ends there, or a separator follows
 * that is none of `: @ [ ( { \ .` (a time, an IPv6 group, an email, a defanged mark, a dotted number) nor a space
 * before a defanged dot (`1.2.3 [.] 4`). `token` would read such a run and return its end: this says so sooner.
 */
function endsPlainNumber(text: string, e: number, skip: Uint8Array): boolean {
  if (e >= text.length) return true;
  const d = text.charCodeAt(e);
  if (d >= 128) return !isWideLetter(d);
  return skip[d] === SEPARATOR && !(d === 32 && dotMarkLength(text, e) > 0);
}

/** Handle the token starting at `i`; returns where scanning resumes (always past `i`). */
function token(text: string, i: number, out: Sink): number {
  const c = text.charCodeAt(i);
  if (c === 58) {
    const v6 = scanIPv6(text, i);
    return v6 ? emitIPv6(text, i, v6.end, v6.value, v6.groups, v6.defanged, out) : i + 1;
  }
  // A log row's date and time (`2024-04-24T23:06:41.000Z`, `23:06:41`): skipped whole, it holds no indicator.
  if (c >= 48 && c <= 57 && (text.charCodeAt(i + 4) === 45 || text.charCodeAt(i + 2) === 58)) {
    const stamp = timestampEnd(text, i);
    if (stamp > 0) return stamp;
  }
  const e = scanHostRun(text, i);
  const flags = hostRunFlags;
  if (e === i) return i + 1;
  const next = text.charCodeAt(e);
  if ((next === 58 || next === 91 || next === 40) && e - i <= 5) {
    // A scheme (`https:`, `hxxp[:]`) or the first group of an IPv6 address (`fe80:`).
    const lower = c | 32;
    if (lower === 104 || lower === 102 || lower === 115) {
      const url = scanUrl(text, i);
      if (url) {
        push(out, 'url', url.value, i, url.end, url.defanged);
        return url.end;
      }
    }
    if ((next === 58 || defangColonLength(text, e) === 3) && e - i <= 4) {
      const v6 = scanIPv6(text, i);
      if (v6) return emitIPv6(text, i, v6.end, v6.value, v6.groups, v6.defanged, out);
    }
  }
  if (next === 64 || next === 91 || next === 40 || next === 123) {
    if (atSignLength(text, e) > 0) {
      const email = scanEmail(text, e);
      if (email) {
        out.dropEndingAfter(email.start);
        push(out, 'email', email.value, email.start, email.end, email.defanged);
        return email.end;
      }
    }
  }
  // A plain word (letters, '-', '_' only) is never an indicator, nor is a number (digits, '-', '_') unless it has
  // the length of a hash or a legacy wallet: skip them without a closer look.
  if ((flags & (RUN_DIGIT | RUN_DEFANGED | RUN_DOT | RUN_WIDE)) === 0) return e;
  if ((flags & ~(RUN_DASH | RUN_UNDERSCORE)) === RUN_DIGIT) {
    const n = e - i;
    if (n < 26 || (n > 35 && n !== 40 && n !== 64 && n !== 128)) return e;
  }
  classifyRun(text, i, e, flags, out);
  return e;
}

function emitIPv6(
  text: string,
  s: number,
  e: number,
  value: string,
  groups: number[],
  defanged: boolean,
  out: Sink,
): number {
  const scope = ipv6Scope(groups);
  const prefix = prefixLength(text, e, 128);
  if (prefix > 0) {
    push(out, 'cidr', `${value}/${text.slice(e + 1, prefix)}`, s, prefix, defanged, scope);
    return prefix;
  }
  push(out, 'ipv6', value, s, e, defanged, scope);
  return e;
}

/** End of a `/NN` prefix length (at most `max`) at `p`, or 0. */
function prefixLength(text: string, p: number, max: number): number {
  if (text.charCodeAt(p) !== 47) return 0;
  let q = p + 1;
  let v = 0;
  while (q < p + 4) {
    const c = text.charCodeAt(q);
    if (!(c >= 48 && c <= 57)) break;
    v = v * 10 + (c - 48);
    q++;
  }
  if (q === p + 1 || v > max) return 0;
  const after = text.charCodeAt(q);
  if ((after >= 48 && after <= 57) || isHostChar(after) || after === 47) {
    return after === 46 && !isHostChar(text.charCodeAt(q + 1)) ? q : 0;
  }
  return q;
}

function trimEnd(text: string, s: number, e: number): number {
  while (e > s) {
    const c = text.charCodeAt(e - 1);
    if (c === 46 || c === 45 || c === 95) e--;
    else break;
  }
  return e;
}

function hasDotIn(text: string, s: number, e: number): boolean {
  for (let k = s; k < e; k++) if (text.charCodeAt(k) === 46) return true;
  return false;
}

/** Read the host run `[s, e)` (flags from scanHostRun) as an indicator, if it is one. */
function classifyRun(text: string, s: number, e: number, flags: number, out: Sink): void {
  const end = trimEnd(text, s, e);
  if (end <= s) return;
  const defanged = (flags & RUN_DEFANGED) !== 0;
  const dotted = defanged || ((flags & RUN_DOT) !== 0 && (end === e || hasDotIn(text, s, end)));
  const found = dotted ? classifyDotted(text, s, end, flags, out) : classifyWord(text, s, end, flags, out);
  if (!found && (flags & RUN_WIDE) !== 0) {
    // Text in another script glued to an indicator (`接続先はevil.comです`): retry without the foreign edges.
    let a = s;
    while (a < end && text.charCodeAt(a) >= 128) a++;
    let b = end;
    while (b > a && text.charCodeAt(b - 1) >= 128) b--;
    if (a > s || b < end) {
      const innerEnd = scanHostRun(text, a);
      // RUN_WIDE off: no third try. Letters of another script may still stand inside the span, and they are no hex
      // digits, so RUN_NONHEX goes on (a set flag only says "maybe").
      classifyRun(text, a, Math.min(b, innerEnd), (hostRunFlags & ~RUN_WIDE) | RUN_NONHEX, out);
    }
  }
}

/**
 * A hash as written, lowercased: `toLowerCase` (which copies) only when the digits include `A`-`F` — never when the
 * run's flags say it holds no capital letter.
 */
function hexValue(text: string, s: number, e: number, flags: number): string {
  if ((flags & RUN_UPPER) === 0) return text.slice(s, e);
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c >= 65 && c <= 70) return text.slice(s, e).toLowerCase();
  }
  return text.slice(s, e);
}

/** Read the undotted token `[s, e)` (`flags` from its host run) as an id, a hash or a wallet. */
function classifyWord(text: string, s: number, e: number, flags: number, out: Sink): boolean {
  const id = knowledgeId(text, s, e);
  if (id) {
    push(out, id.type, id.value, s, e, false);
    return true;
  }
  // No letter past `f`, no dash, underscore, dot, mark or other script anywhere in the run: all hex digits.
  const hexOnly =
    (flags & (RUN_NONHEX | RUN_DASH | RUN_UNDERSCORE | RUN_DOT | RUN_DEFANGED | RUN_WIDE)) === 0;
  const hash = hashType(text, s, e, hexOnly);
  if (hash) {
    push(out, hash, hexValue(text, s, e, flags), s, e, false);
    return true;
  }
  const first = text.charCodeAt(s);
  const n = e - s;
  if (((first === 49 || first === 51) && n >= 26 && n <= 35) || ((first | 32) === 98 && n >= 14 && n <= 74)) {
    const address = bitcoinAddress(text.slice(s, e));
    if (address) {
      push(out, 'btc', address, s, e, false);
      return true;
    }
  }
  return (flags & RUN_DASH) !== 0 && hyphenatedIds(text, s, e, out);
}

function nextDash(text: string, from: number, e: number): number {
  let k = from;
  while (k < e && text.charCodeAt(k) !== 45) k++;
  return k;
}

/** Whether `c` (lowercased) can start an id: t, g, s, m, c (and cve), d (d3), a (as). */
function startsId(c: number): boolean {
  return c === 116 || c === 103 || c === 115 || c === 109 || c === 99 || c === 100 || c === 97;
}

/**
 * Ids inside a hyphenated word (`G0016-like`, `T1059-based`, `CVE-2021-44228-related`): try each hyphen-separated
 * piece that starts like an id, joined with the next one or two (for `D3-PSA` and `CVE-…-…`), longest first.
 */
function hyphenatedIds(text: string, s: number, e: number, out: Sink): boolean {
  let found = false;
  let a = s;
  while (a < e) {
    const b1 = nextDash(text, a, e);
    if (a === s && b1 === e) return false; // no hyphen at all
    if (startsId(text.charCodeAt(a) | 32)) {
      const b2 = b1 < e ? nextDash(text, b1 + 1, e) : -1;
      const b3 = b2 >= 0 && b2 < e ? nextDash(text, b2 + 1, e) : -1;
      let matched = -1;
      for (const b of [b3, b2, b1]) {
        if (b <= a) continue;
        const id = knowledgeId(text, a, b);
        if (id) {
          push(out, id.type, id.value, a, b, false);
          matched = b;
          break;
        }
      }
      if (matched >= 0) {
        found = true;
        a = matched + 1;
        continue;
      }
    }
    a = b1 + 1;
  }
  return found;
}

function isDigitsDotsDashes(text: string, s: number, e: number, flags: number): boolean {
  if ((flags & (RUN_ALPHA | RUN_WIDE | RUN_UNDERSCORE | RUN_DEFANGED)) === 0) return true;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45)) return false;
  }
  return true;
}

/** Products of User-Agent strings, whose versions are dotted quads: `Chrome/124.0.0.0`, `Version/17.4.1.2`. */
const USER_AGENT_PRODUCTS: readonly string[] = [
  'Chrome',
  'Chromium',
  'CriOS',
  'Edg',
  'EdgA',
  'EdgiOS',
  'Edge',
  'Firefox',
  'FxiOS',
  'OPR',
  'Opera',
  'Safari',
  'SamsungBrowser',
  'UCBrowser',
  'Version',
  'Vivaldi',
  'YaBrowser',
];

/** Whether the `/` at `slash` follows a User-Agent product name (`Chrome/`), making what follows a version. */
function afterUserAgentProduct(text: string, slash: number): boolean {
  let p = slash;
  while (p > 0 && p > slash - 16) {
    const c = text.charCodeAt(p - 1) | 32;
    if (c >= 97 && c <= 122) p--;
    else break;
  }
  if (p === slash || (p > 0 && isHostChar(text.charCodeAt(p - 1)))) return false;
  // Compared in place: this runs for every dotted quad after a slash, and a slice per call is garbage.
  const length = slash - p;
  for (const product of USER_AGENT_PRODUCTS)
    if (product.length === length && text.startsWith(product, p)) return true;
  return false;
}

function emitIPv4(text: string, s: number, e: number, defanged: boolean, out: Sink): boolean {
  const written = defanged ? refangSpan(text, s, e) : null;
  const address =
    written === null ? parseIPv4Number(text, s, e) : parseIPv4Number(written, 0, written.length);
  if (address < 0) return false;
  // Asked only of a valid quad: most versions after a slash (`Mozilla/5.0`, `AppleWebKit/537.36`) are not one.
  if (!defanged && text.charCodeAt(s - 1) === 47 && afterUserAgentProduct(text, s - 1)) return false;
  const scope = ipv4ScopeOf(address);
  const value = written ?? text.slice(s, e);
  const prefix = prefixLength(text, e, 32);
  if (prefix > 0) {
    push(out, 'cidr', `${value}/${text.slice(e + 1, prefix)}`, s, prefix, defanged, scope);
  } else {
    push(out, 'ipv4', value, s, e, defanged, scope);
  }
  return true;
}

function dashIn(text: string, s: number, e: number, flags: number): number {
  if ((flags & RUN_DASH) === 0) return -1;
  for (let k = s; k < e; k++) if (text.charCodeAt(k) === 45) return k;
  return -1;
}

/**
 * Cheap rejection of dotted tokens that cannot be domains before the domain cache and tldts: the last label must be
 * letters, at least two (`hostLabelCount`: not `41.000Z` in a timestamp, `5.0`, `537.36`), or punycode; and an
 * ASCII last label must be an ICANN top-level domain (not `cmd.exe`, `Net.WebClient`), looked up in a small cache
 * keyed by the label as written. A label with other characters is left to the full check.
 */
function lastLabelCanBeTld(text: string, s: number, e: number): boolean {
  let k = e - 1;
  let ascii = true;
  let letters = true;
  while (k >= s) {
    const c = text.charCodeAt(k);
    if (c === 46) break;
    if (c >= 128) ascii = false;
    else if (!((c | 32) >= 97 && (c | 32) <= 122)) letters = false;
    k--;
  }
  const label = e - k - 1;
  if (label >= 4 && (text.charCodeAt(k + 1) | 32) === 120 && (text.charCodeAt(k + 2) | 32) === 110) {
    if (text.charCodeAt(k + 3) === 45 && text.charCodeAt(k + 4) === 45) return true; // xn--
  }
  if (!letters) return false;
  if (!ascii) return true;
  if (label < 2) return false;
  const known = tldCache.get(text, k + 1, e);
  if (known !== undefined) return known;
  const written = text.slice(k + 1, e);
  return tldCache.setLast(written, isIcannTld(written.toLowerCase()));
}

function classifyDotted(text: string, s: number, e: number, flags: number, out: Sink): boolean {
  const defanged = (flags & RUN_DEFANGED) !== 0;
  const first = text.charCodeAt(s);
  if (first >= 48 && first <= 57 && (defanged || isDigitsDotsDashes(text, s, e, flags))) {
    if (defanged) {
      if (emitIPv4(text, s, e, true, out)) return true;
    } else if (dashIn(text, s, e, flags) < 0) {
      return emitIPv4(text, s, e, false, out);
    } else {
      // Ranges such as 10.0.0.1-10.0.0.255: each side on its own.
      let found = false;
      let a = s;
      for (let k = s; k <= e; k++) {
        if (k === e || text.charCodeAt(k) === 45) {
          if (k > a && emitIPv4(text, a, k, false, out)) found = true;
          a = k + 1;
        }
      }
      return found;
    }
  }
  if (!defanged && e - s === 9) {
    const id = knowledgeId(text, s, e);
    if (id) {
      push(out, id.type, id.value, s, e, false);
      return true;
    }
  }
  if (e - s > 1300) return false; // longer than any host name, even fully defanged
  let verdict: DomainVerdict | undefined;
  if (defanged) {
    verdict = domainVerdict(refangSpan(text, s, e));
  } else if (!lastLabelCanBeTld(text, s, e)) {
    verdict = NOT_A_DOMAIN;
  } else {
    verdict = dottedCache.get(text, s, e);
    if (verdict === undefined) {
      const written = text.slice(s, e);
      verdict = dottedCache.setLast(written, domainVerdict(written));
    }
  }
  const domain = verdict.host;
  if (domain && (defanged || !verdict.needsHostContext || hostFieldBefore(text, s))) {
    push(out, 'domain', domain, s, e, defanged);
    return true;
  }
  if (defanged) return false;
  // A hash with a file extension (`<sha256>.exe`): the hash alone.
  let dot = s;
  while (text.charCodeAt(dot) !== 46) dot++;
  const hash = hashType(text, s, dot);
  if (hash) {
    push(out, hash, hexValue(text, s, dot, flags), s, dot, false);
    return true;
  }
  return false;
}
