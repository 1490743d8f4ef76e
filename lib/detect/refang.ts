/**
 * `refang(text)`: undo the usual defanging anywhere in a text (a pasted report, a search box): `hxxp(s)` and
 * `hXXp(s)` before a scheme separator, `[.]` `(.)` `{.}` `[dot]` `(dot)` `{dot}` `\.`, `[:]` `(:)` `[://]`,
 * `[@]` `(@)` `{@}` `[at]` `(at)` `{at}`, and a bracketed dot between spaces (`evil [.] com`; not ` (.) `, as in
 * lib/detect/defang-marks.ts). One linear pass (a single alternation, nothing that can backtrack).
 */
const MARKS =
  /h[xt]{2}p(?=s?(?::|\[:|\(:))| ?\[\.\] ?|\(\.\)| ?\{\.\} ?| ?\[dot\] ?| ?\(dot\) ?| ?\{dot\} ?|\\\.|\[:\/\/\]|\[:\]|\(:\)|\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\}/gi;

function replacement(mark: string): string {
  const lower = mark.trim().toLowerCase();
  if (lower.startsWith('h')) return 'http';
  if (lower === '[://]') return '://';
  if (lower.includes(':')) return ':';
  if (lower.includes('@') || lower.includes('at')) return '@';
  return '.';
}

export function refang(text: string): string {
  return text.replace(MARKS, replacement);
}
