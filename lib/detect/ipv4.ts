/**
 * Strict dotted-quad IPv4: exactly four decimal octets, 0-255, no leading zeros ("010" is octal to some parsers and
 * a version number to most readers). The caller hands over a whole dotted run, so `10.0.19041.1`, OIDs and
 * versions (`v2.1.1.108`) never reach here as a quad.
 */

/** The four octets of `s` (refanged) between `from` and `to`, or null when that is not a strict dotted quad. */
export function parseIPv4(s: string, from = 0, to = s.length): [number, number, number, number] | null {
  const n = to;
  if (n - from < 7 || n - from > 15) return null;
  const octets: [number, number, number, number] = [0, 0, 0, 0];
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3) return null;
      octets[part++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return null;
    if (digits === 1 && value === 0) return null; // leading zero
    value = value * 10 + (c - 48);
    if (++digits > 3 || value > 255) return null;
  }
  return part === 4 ? octets : null;
}

/**
 * The address between `from` and `to` of `s` as an unsigned 32-bit number, or -1 when that is not a strict dotted
 * quad. Allocation-free twin of `parseIPv4` for the scanner's hot path.
 */
export function parseIPv4Number(s: string, from: number, to: number): number {
  if (to - from < 7 || to - from > 15) return -1;
  let address = 0;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3) return -1;
      address = address * 256 + value;
      part++;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return -1;
    if (digits === 1 && value === 0) return -1;
    value = value * 10 + (c - 48);
    if (++digits > 3 || value > 255) return -1;
  }
  return part === 4 ? address : -1;
}
