/**
 * The run of host-name characters starting at a position: letters (any script), digits, `-`, `_`, `.` and
 * defanged dots (`[.]`, `(dot)`, `\.` …) that are followed by another letter or digit. Returned packed into one
 * number so the hot loop allocates nothing: the end offset times 32, plus flag bits.
 */
import { ALPHA, CLASS, DIGIT, HOST, isAlnum, isWideLetter } from './chars.ts';
import { defangDotLength } from './defang-marks.ts';

export const RUN_DIGIT = 1; // same bit as DIGIT in the class table
export const RUN_ALPHA = 2; // same bit as ALPHA in the class table
export const RUN_DEFANGED = 4;
export const RUN_DOT = 8;
export const RUN_WIDE = 16;
export const RUN_FLAGS = 31;

export function runEnd(packed: number): number {
  return (packed - (packed & RUN_FLAGS)) / 32;
}

export function scanHostRun(text: string, i: number): number {
  const n = text.length;
  let flags = 0;
  let p = i;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c < 128) {
      const k = CLASS[c] as number;
      if ((k & HOST) !== 0) {
        flags |= k & (DIGIT | ALPHA);
        if (c === 46) flags |= RUN_DOT;
        p++;
        continue;
      }
      if (c === 91 || c === 40 || c === 123 || c === 92) {
        const m = defangDotLength(text, p);
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
  return p * 32 + flags;
}
