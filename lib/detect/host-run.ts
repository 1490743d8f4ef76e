/**
 * The run of host-name characters starting at a position: letters (any script), digits, `-`, `_`, `.` and
 * defanged dots (`[.]`, `(dot)`, `\.`, ` [.] ` …) that are followed by another letter or digit. `scanHostRun`
 * returns the run's end and leaves flag bits saying which kinds of characters the run holds in `hostRunFlags` (read
 * them right after the call): nothing is allocated, not even a heap number for a packed result past 2^31. A flag
 * that is absent is a promise (no such character in the run); a flag that is set may refer to a character that a
 * caller later trims off the run's ends.
 */
import { isAlnum, isWideLetter } from './chars.ts';
import { dotMarkLength } from './defang-marks.ts';

export const RUN_DIGIT = 1;
export const RUN_ALPHA = 2;
export const RUN_DEFANGED = 4;
export const RUN_DOT = 8;
export const RUN_WIDE = 16;
export const RUN_DASH = 32;
export const RUN_UNDERSCORE = 64;
/** An ASCII capital letter (always with RUN_ALPHA). */
export const RUN_UPPER = 128;
/** An ASCII letter that is no hex digit, `g`-`z` in either case (always with RUN_ALPHA). */
export const RUN_NONHEX = 256;

/** Run flag of each ASCII host character; 0 for every other character. */
const RUN_BITS = (() => {
  const table = new Uint16Array(128);
  for (let c = 48; c <= 57; c++) table[c] = RUN_DIGIT;
  for (let c = 65; c <= 90; c++) {
    const nonHex = c > 70 ? RUN_NONHEX : 0;
    table[c] = RUN_ALPHA | RUN_UPPER | nonHex;
    table[c + 32] = RUN_ALPHA | nonHex;
  }
  table[45] = RUN_DASH;
  table[46] = RUN_DOT;
  table[95] = RUN_UNDERSCORE;
  return table;
})();

/** Flags of the run last scanned by `scanHostRun`. */
export let hostRunFlags = 0;

export function scanHostRun(text: string, i: number): number {
  const bits = RUN_BITS; // a local: see detect()
  const n = text.length;
  let flags = 0;
  let p = i;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c < 128) {
      const bit = bits[c] as number;
      if (bit !== 0) {
        flags |= bit;
        p++;
        continue;
      }
      if (c === 91 || c === 40 || c === 123 || c === 92 || c === 32) {
        const m = dotMarkLength(text, p);
        if (m > 0 && p + m < n && isAlnum(text.charCodeAt(p + m))) {
          flags |= RUN_DEFANGED | RUN_DOT;
          p += m;
          continue;
        }
      }
      break;
    }
    if (!isWideLetter(c)) break;
    flags |= RUN_WIDE;
    p++;
  }
  hostRunFlags = flags;
  return p;
}
