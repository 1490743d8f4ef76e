/**
 * Email addresses around an at-sign (`@`, `[@]`, `[at]`, `(at)` …): a local part of letters, digits and
 * `._%+-` (defanged dots allowed) of at most 64 characters, and a domain that passes the public-suffix check.
 * The file-name policy does not apply to the domain (`invoice@evil.zip` is an address). Lowercased.
 */
import { CLASS, isAlnum, LOCAL } from './chars.ts';
import { atSignLength, defangDotLength, refangSpan } from './defang-marks.ts';
import { validDomain } from './domain.ts';
import { hostRunFlags, RUN_DEFANGED, scanHostRun } from './host-run.ts';

export interface EmailMatch {
  start: number;
  end: number;
  value: string;
  defanged: boolean;
}

/** Start of the local part that ends at `at`, or -1. Looks back at most 64 characters. */
function localStart(text: string, at: number): number {
  const floor = at - 80;
  let k = at - 1;
  while (k >= 0) {
    if (k < floor) return -1;
    const c = text.charCodeAt(k);
    if (c < 128 && ((CLASS[c] as number) & LOCAL) !== 0) {
      k--;
      continue;
    }
    // A defanged dot ending at k: `[.]` (3) or `[dot]` (5); `\.` is handled by the plain dot step.
    if ((c === 93 || c === 41 || c === 125) && k >= 2) {
      if (defangDotLength(text, k - 2) === 3) {
        k -= 3;
        continue;
      }
      if (k >= 4 && defangDotLength(text, k - 4) === 5) {
        k -= 5;
        continue;
      }
    }
    if (c === 92 && text.charCodeAt(k + 1) === 46) {
      k--;
      continue;
    }
    break;
  }
  let s = k + 1;
  while (s < at && text.charCodeAt(s) === 46) s++;
  return s < at && at - s <= 64 + 16 ? s : -1;
}

/** The email address whose at-sign is at `at`, or null. */
export function scanEmail(text: string, at: number): EmailMatch | null {
  const atLength = atSignLength(text, at);
  if (atLength === 0) return null;
  const start = localStart(text, at);
  if (start < 0) return null;
  const domainStart = at + atLength;
  if (!isAlnum(text.charCodeAt(domainStart))) return null;
  let end = scanHostRun(text, domainStart);
  const defangedDomain = (hostRunFlags & RUN_DEFANGED) !== 0;
  while (end > domainStart) {
    const c = text.charCodeAt(end - 1);
    if (c === 46 || c === 45 || c === 95) end--;
    else break;
  }
  const domain = validDomain(
    defangedDomain ? refangSpan(text, domainStart, end) : text.slice(domainStart, end),
  );
  if (!domain) return null;
  const local = refangSpan(text, start, at);
  if (local.length > 64) return null;
  const defanged = defangedDomain || atLength > 1 || local.length !== at - start;
  return { start, end, value: `${local.toLowerCase()}@${domain}`, defanged };
}
