/**
 * IPv6 in every textual form (full, `::`-compressed, embedded dotted IPv4), rendered in RFC 5952 form: lowercase,
 * no leading zeros, the longest run of two or more zero groups as `::`. IPv4-mapped addresses and addresses written
 * with an embedded IPv4 keep the dotted tail (RFC 5952 section 5). MAC addresses (six groups) and times (`12:34:56`)
 * fail the group count; anything glued to a letter, digit, `:` or `.` on either side is not an address. Colons may
 * be defanged (`2001[:]db8::1`, what `defang` writes, or `(:)`); the value is refanged.
 */
import { isHexDigit, isWordChar } from './chars.ts';
import { defangColonLength, refangSpan } from './defang-marks.ts';
import { parseIPv4 } from './ipv4.ts';

export interface ParsedIPv6 {
  /** Offset just past the address in the scanned text. */
  end: number;
  value: string;
  groups: number[];
  /** Written with a defanged colon. */
  defanged: boolean;
}

const COLON = 58;
const DOT = 46;
const MAX_TEXT = 45; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255
/** How far the scan looks: the longest address with every colon defanged (`[:]`, two more characters each). */
const MAX_WRITTEN = MAX_TEXT + 2 * 7;

/** Whether a defanged colon ends just before `p` (`…[:]` or `…(:)`). */
function defangedColonBefore(text: string, p: number): boolean {
  const c = text.charCodeAt(p - 1);
  return (c === 93 || c === 41) && p >= 3 && defangColonLength(text, p - 3) === 3;
}

function parseGroup(s: string): number {
  if (s.length === 0 || s.length > 4) return -1;
  let v = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (!isHexDigit(c)) return -1;
    v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return v;
}

/** Groups of `s` (eight numbers) and whether it ended in a dotted IPv4, or null when `s` is not IPv6. */
export function parseIPv6Groups(s: string): { groups: number[]; dotted: boolean } | null {
  const gap = s.indexOf('::');
  if (gap >= 0 && s.indexOf('::', gap + 1) >= 0) return null;
  const head = gap < 0 ? s : s.slice(0, gap);
  const tail = gap < 0 ? '' : s.slice(gap + 2);
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === '' ? [] : tail.split(':');
  const parts = gap < 0 ? headParts : tailParts;
  let dotted = false;
  let v4: number[] | null = null;
  const last = parts[parts.length - 1];
  if (last?.includes('.')) {
    v4 = parseIPv4(last);
    if (!v4) return null;
    parts.pop();
    dotted = true;
  }
  const count = headParts.length + (gap < 0 ? 0 : tailParts.length) + (dotted ? 2 : 0);
  if (gap < 0 ? count !== 8 : count > 7) return null;
  const groups: number[] = [];
  for (const p of headParts) {
    const g = parseGroup(p);
    if (g < 0) return null;
    groups.push(g);
  }
  if (gap >= 0) {
    const fill = 8 - count;
    for (let k = 0; k < fill; k++) groups.push(0);
    for (const p of tailParts) {
      const g = parseGroup(p);
      if (g < 0) return null;
      groups.push(g);
    }
  }
  if (v4)
    groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
  return groups.length === 8 ? { groups, dotted } : null;
}

function compress(groups: number[], count: number): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < count; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let m = k;
    while (m < count && groups[m] === 0) m++;
    if (m - k > bestLen) {
      bestStart = k;
      bestLen = m - k;
    }
    k = m;
  }
  let out = '';
  for (let k = 0; k < count; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (groups[k] as number).toString(16);
  }
  return out;
}

/** RFC 5952 text of eight groups; with `dotted`, the last 32 bits as a dotted quad. */
export function formatIPv6(groups: number[], dotted: boolean): string {
  const mapped =
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff;
  if (!dotted && !mapped) return compress(groups, 8);
  const hi = groups[6] as number;
  const lo = groups[7] as number;
  const quad = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const head = compress(groups, 6);
  return head.endsWith(':') ? head + quad : `${head}:${quad}`;
}

/** Scan an IPv6 address starting at `i`, or return null. Bounded: looks at most 64 characters ahead. */
export function scanIPv6(text: string, i: number): ParsedIPv6 | null {
  if (i > 0) {
    const prev = text.charCodeAt(i - 1);
    if (prev === COLON || prev === DOT || isWordChar(prev) || defangedColonBefore(text, i)) return null;
  }
  // Cheap rejection: a group of at most four hex digits then a colon, plain or defanged (or '::' at the start).
  let j = i;
  while (j < i + 4 && isHexDigit(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) !== COLON && (j === i || defangColonLength(text, j) !== 3)) return null;
  if (j === i && text.charCodeAt(j + 1) !== COLON) return null;
  j = i;
  let marks = false;
  const limit = Math.min(text.length, i + MAX_WRITTEN + 5);
  while (j < limit) {
    const c = text.charCodeAt(j);
    if (c === COLON || c === DOT || isHexDigit(c)) j++;
    else if ((c === 91 || c === 40) && defangColonLength(text, j) === 3) {
      marks = true;
      j += 3;
    } else break;
  }
  if (j >= limit && j < text.length) return null; // an endless run of hex and colons
  if (j < text.length && isWordChar(text.charCodeAt(j))) return null;
  let end = j;
  while (end > i && text.charCodeAt(end - 1) === DOT) end--;
  if (text.charCodeAt(end - 1) === COLON && text.charCodeAt(end - 2) !== COLON) end--;
  else if (defangedColonBefore(text, end)) end -= 3;
  if (end - i > MAX_WRITTEN || end - i < 2) return null;
  const s = marks ? refangSpan(text, i, end) : text.slice(i, end);
  if (s.length > MAX_TEXT) return null;
  const parsed = parseIPv6Groups(s);
  if (!parsed) return null;
  if (parsed.groups.every((g) => g === 0) && s === '::') return null;
  return {
    end,
    value: formatIPv6(parsed.groups, parsed.dotted),
    groups: parsed.groups,
    // A mark trimmed off the end does not count: only the marks left in the address shorten it.
    defanged: s.length !== end - i,
  };
}
