/**
 * `refang(text)`: undo the usual defanging anywhere in a text (a pasted report, a search box): `hxxp(s)` and
 * `hXXp(s)` before a scheme separator, then every mark the scanner knows (lib/detect/defang-marks.ts: dots, at-signs,
 * colons, `[://]`, a bracketed dot between spaces). Linear: one regex that cannot backtrack, then one pass.
 */
import { refangSpan } from './defang-marks.ts';

const DEFANGED_SCHEME = /h[xt]{2}p(?=s?(?::|\[:|\(:))/gi;

export function refang(text: string): string {
  const schemes = text.replace(DEFANGED_SCHEME, 'http');
  return refangSpan(schemes, 0, schemes.length);
}
