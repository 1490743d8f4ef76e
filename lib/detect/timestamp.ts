/**
 * Dates and times as logs write them: every row of a SIEM table starts with one, and none holds an indicator. The
 * scanner skips one in a single step instead of reading its pieces as candidates (`2024-04-24T23` as a word, `06:41`
 * as the start of an IPv6 address, `41.000Z` as a dotted name).
 *
 * Recognised at a token start: an ISO 8601 date `YYYY-MM-DD`, optionally followed (after `T` or a space) by a time
 * `HH:MM[:SS[.fraction]]` and a zone (`Z`, `+HH:MM`, `-HHMM`); or a time `HH:MM:SS[.fraction]` alone (syslog's
 * `Apr 24 23:06:41`). Whatever follows must end the token: a timestamp glued to more host characters
 * (`2024-04-24.evil`) or a time followed by another `:` (an IPv6 address such as `12:34:56::1`) is left to the
 * ordinary rules.
 */
import { allDigits, isDigit, isHostChar } from './chars.ts';

/** Whether the `n` code units at `p` are digits. */
function digits(text: string, p: number, n: number): boolean {
  return allDigits(text, p, p + n);
}

/** End of `HH:MM[:SS[.fraction]]` at `p` (seconds required when `needSeconds`), or -1. */
function timeEnd(text: string, p: number, needSeconds: boolean): number {
  if (!digits(text, p, 2) || text.charCodeAt(p + 2) !== 58 || !digits(text, p + 3, 2)) return -1;
  let q = p + 5;
  if (text.charCodeAt(q) === 58 && digits(text, q + 1, 2)) {
    q += 3;
    const c = text.charCodeAt(q);
    if ((c === 46 || c === 44) && digits(text, q + 1, 1)) {
      q += 2;
      while (q < p + 20 && isDigit(text.charCodeAt(q))) q++;
    }
  } else if (needSeconds) {
    return -1;
  }
  return q;
}

/** End of a zone (`Z`, `+HH:MM`, `+HHMM`, `-HH`) at `p`, or `p` when there is none. */
function zoneEnd(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === 90 || c === 122) return p + 1;
  if ((c === 43 || c === 45) && digits(text, p + 1, 2)) {
    if (text.charCodeAt(p + 3) === 58 && digits(text, p + 4, 2)) return p + 6;
    if (digits(text, p + 3, 2)) return p + 5;
    return p + 3;
  }
  return p;
}

/** Where the date or time starting at `i` ends, or -1 when there is none (then the ordinary rules apply). */
export function timestampEnd(text: string, i: number): number {
  let end: number;
  if (digits(text, i, 4) && text.charCodeAt(i + 4) === 45) {
    if (!(digits(text, i + 5, 2) && text.charCodeAt(i + 7) === 45 && digits(text, i + 8, 2))) return -1;
    end = i + 10;
    const sep = text.charCodeAt(end);
    if (sep === 84 || sep === 116 || sep === 32) {
      const time = timeEnd(text, end + 1, false);
      if (time > 0) end = zoneEnd(text, time);
      else if (sep !== 32) return -1;
    }
  } else {
    end = timeEnd(text, i, true);
    if (end < 0) return -1;
    end = zoneEnd(text, end);
  }
  const after = text.charCodeAt(end);
  return after === 58 || isHostChar(after) ? -1 : end;
}
