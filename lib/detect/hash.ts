/**
 * Hashes by length: md5 (32 hex), sha1 (40), sha256 (64), sha512 (128). The scanner hands over whole tokens, so a
 * longer hex run, a `0x` number or a piece of a dashed GUID never matches; a 32-digit GUID in braces
 * (`{3F2504E04F8911D39A0C0305E82C3301}`) is not an md5 either.
 */
import { allHexDigits } from './chars.ts';
import type { IndicatorType } from './types.ts';

/** `hexKnown`: the caller knows `[s, e)` holds hex digits only (from its host run's flags), so they are not read. */
export function hashType(text: string, s: number, e: number, hexKnown = false): IndicatorType | null {
  const n = e - s;
  const type: IndicatorType | null =
    n === 32 ? 'md5' : n === 40 ? 'sha1' : n === 64 ? 'sha256' : n === 128 ? 'sha512' : null;
  if (!type) return null;
  if (!hexKnown && !allHexDigits(text, s, e)) return null;
  if (n === 32 && text.charCodeAt(s - 1) === 123 && text.charCodeAt(e) === 125) return null;
  return type;
}
