/**
 * Domain names: syntax, public-suffix validation (tldts, ICANN section only) and the file-name policy.
 *
 * File-name vs domain policy. A dotted name is a domain when its last label is an ICANN public suffix and at least
 * one label sits in front of the suffix. On top of that, two families of real TLDs are read as something else
 * unless the context says "host":
 * - File extensions that are also TLDs (`.zip` `.mov` `.py` `.sh` `.pl` `.ps` `.rs` `.md` `.cc` `.so` `.ml` `.mk`
 *   `.pm` `.tf` `.pf` `.cab` `.one`): a bare `name.ext` with exactly two labels is a file (`payload.zip`,
 *   `main.py`), and so is a Windows prefetch file name, `NAME.EXT-<8 hex digits>.pf` (`CMD.EXE-4A81B364.pf`). Names whose extension is not a TLD (`svchost.exe`, `report.docx`, `invoice.pdf`, `setup.msi`) fail
 *   the public-suffix check anyway.
 * - Identifier TLDs (`.name` `.id` `.data` `.shell` `.windows` `.office` `.java`): `host.name`, `user.id`,
 *   `process.parent.name`, `WScript.Shell`, `response.data` are field paths and object names in logs and code, so
 *   a name whose public suffix is exactly one of these is not a domain. Likewise a dotted identifier whose last
 *   label is written in mixed case (`System.Management`, `Microsoft.Exchange`): real host names are written in one
 *   case.
 * The context says "host" when the name is defanged (`payload[.]zip`), sits in a URL or an email address (handled
 * by their scanners, which skip this policy), follows a host field (`host=`, `hostname:`, `domain=`, `fqdn`,
 * `query`, `sni`, `server`, anything with `dns`), or, for the file-extension family, has three or more labels
 * (`cdn.evil.zip`). Dotted identifiers whose last label is no TLD (`window.location`, `e.g.`, `i.e.`,
 * `System.Management.Automation`) are rejected by the public-suffix check.
 */
import { parse } from 'tldts';
import { isWideLetter } from './chars.ts';

const FILE_EXTENSION_TLDS = new Set([
  'zip',
  'mov',
  'py',
  'sh',
  'pl',
  'ps',
  'rs',
  'md',
  'cc',
  'so',
  'ml',
  'mk',
  'pm',
  'tf',
  'pf',
  'cab',
  'one',
]);
const IDENTIFIER_TLDS = new Set(['name', 'id', 'data', 'shell', 'windows', 'office', 'java']);

const TLDTS_OPTIONS = {
  allowPrivateDomains: false,
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

const CACHE_LIMIT = 50_000;
const tldCache = new Map<string, boolean>();
/** Lowercased host -> its public suffix when the host is registrable, '' when it is not. */
const suffixCache = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Whether a lowercased label is an ICANN top-level domain. */
export function isIcannTld(tld: string): boolean {
  const hit = tldCache.get(tld);
  if (hit !== undefined) return hit;
  return remember(tldCache, tld, parse(`x.${tld}`, TLDTS_OPTIONS).isIcann === true);
}

/**
 * Syntax of a lowercased, refanged host name: labels of letters (any script), digits, `-`, `_`, 1-63 long, no
 * label starting or ending with `-`, at most 253 in all; the last label letters only (or `xn--` punycode).
 * Returns the number of labels, 0 when the syntax is wrong. `from` / `to` check a span of a longer text in place.
 */
export function hostLabelCount(host: string, from = 0, to = host.length): number {
  const n = to - from;
  if (n === 0 || n > 253) return 0;
  let labels = 0;
  let labelStart = from;
  let lastLabel = from;
  for (let k = from; k <= to; k++) {
    const c = k < to ? host.charCodeAt(k) : 46;
    if (c === 46) {
      const len = k - labelStart;
      if (len === 0 || len > 63) return 0;
      if (host.charCodeAt(labelStart) === 45 || host.charCodeAt(k - 1) === 45) return 0;
      labels++;
      lastLabel = labelStart;
      labelStart = k + 1;
      continue;
    }
    const ok =
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 45 ||
      c === 95 ||
      (c >= 65 && c <= 90) ||
      isWideLetter(c);
    if (!ok) return 0;
  }
  // Last label: letters (ASCII or other scripts), or punycode.
  if (
    to - lastLabel >= 4 &&
    host.charCodeAt(lastLabel) === 120 &&
    host.charCodeAt(lastLabel + 1) === 110 &&
    host.charCodeAt(lastLabel + 2) === 45 &&
    host.charCodeAt(lastLabel + 3) === 45
  ) {
    return labels; // xn--
  }
  if (to - lastLabel < 2) return 0;
  for (let k = lastLabel; k < to; k++) {
    const c = host.charCodeAt(k);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isWideLetter(c))) return 0;
  }
  return labels;
}

/** The ICANN public suffix of a lowercased host when the host is registrable (a label in front of it), else ''. */
export function registrableSuffix(host: string): string {
  const hit = suffixCache.get(host);
  if (hit !== undefined) return hit;
  return remember(suffixCache, host, suffixOf(host));
}

/** `registrableSuffix` without its cache, for callers that cache their own verdicts. */
function suffixOf(host: string): string {
  const dot = host.lastIndexOf('.');
  if (dot < 0 || !isIcannTld(host.slice(dot + 1))) return '';
  const r = parse(host, TLDTS_OPTIONS);
  return r.isIcann === true && r.domain ? (r.publicSuffix ?? '') : '';
}

/** Refanged name as written -> lowercased host when registrable, '' when not. */
const writtenCache = new Map<string, string>();

/** Lowercased host when `written` (refanged, as written) is a valid registrable domain name, else null. */
export function validDomain(written: string): string | null {
  const hit = writtenCache.get(written);
  if (hit !== undefined) return hit === '' ? null : hit;
  const host = written.toLowerCase();
  const valid = hostLabelCount(host) >= 2 && registrableSuffix(host) !== '';
  return remember(writtenCache, written, valid ? host : '') || null;
}

const HOST_FIELD_WORDS = [
  'host',
  'hostname',
  'domain',
  'fqdn',
  'query',
  'qname',
  'sni',
  'server',
  'servername',
];

/** Whether the text right before `s` names a host field: `host=`, `"domain": "`, `dns.question.name:` … */
export function hostFieldBefore(text: string, s: number): boolean {
  let p = s - 1;
  const floor = Math.max(0, s - 48);
  // Separators between a field name and its value.
  while (p >= floor) {
    const c = text.charCodeAt(p);
    if (c === 61 || c === 58 || c === 32 || c === 34 || c === 39 || c === 9 || c === 62) p--;
    else break;
  }
  if (p === s - 1) return false;
  const wordEnd = p + 1;
  while (p >= floor) {
    const c = text.charCodeAt(p);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 45) p--;
    else break;
  }
  if (p + 1 === wordEnd) return false;
  const word = text.slice(p + 1, wordEnd).toLowerCase();
  if (word.includes('dns')) return true;
  for (const w of HOST_FIELD_WORDS) if (word.endsWith(w)) return true;
  return false;
}

function isMixedCase(label: string): boolean {
  let upper = false;
  let lower = false;
  for (let k = 0; k < label.length; k++) {
    const c = label.charCodeAt(k);
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
  }
  return upper && lower;
}

/**
 * Whether the label ending at `lastDot` ends in a Windows prefetch hash (`-` and eight hex digits), as in
 * `CMD.EXE-4A81B364.pf`: a prefetch file, whatever the number of labels in front.
 */
function isPrefetchHash(host: string, lastDot: number): boolean {
  if (lastDot < 10 || host.charCodeAt(lastDot - 9) !== 45) return false;
  for (let k = lastDot - 8; k < lastDot; k++) {
    const c = host.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export interface DomainVerdict {
  /** The normalised (lowercase) domain, or null when the name is not a registrable domain at all. */
  host: string | null;
  /** True when the policy reads the name as a file or an identifier unless the context says "host". */
  needsHostContext: boolean;
}

export const NOT_A_DOMAIN: DomainVerdict = Object.freeze({ host: null, needsHostContext: false });

/**
 * Apply the policy above to a free-standing dotted name (not inside a URL or an email), as written (refanged).
 * The caller accepts `host` outright when the name was defanged, and otherwise when `needsHostContext` is false or
 * a host field precedes the name (`hostFieldBefore`).
 */
export function domainVerdict(written: string): DomainVerdict {
  // What `validDomain` checks, without its caches (a Map insert per new name costs more than tldts itself): the
  // scanner caches verdicts per span already.
  const host = written.toLowerCase();
  if (hostLabelCount(host) < 2) return NOT_A_DOMAIN;
  const suffix = suffixOf(host);
  if (suffix === '') return NOT_A_DOMAIN;
  const lastDot = host.lastIndexOf('.');
  if (suffix.length !== host.length - lastDot - 1) return { host, needsHostContext: false }; // co.uk, com.br …
  const looksLikeFile =
    (FILE_EXTENSION_TLDS.has(suffix) && host.indexOf('.') === lastDot) ||
    (suffix === 'pf' && isPrefetchHash(host, lastDot));
  const looksLikeCode = IDENTIFIER_TLDS.has(suffix) || isMixedCase(written.slice(lastDot + 1));
  return { host, needsHostContext: looksLikeFile || looksLikeCode };
}
