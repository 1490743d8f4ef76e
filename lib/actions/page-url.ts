/**
 * The page URL that travels with an action (into the audit log and, for webhooks, to the analyst's SOAR). Console
 * URLs often carry credentials: session ids, signed-link signatures, OAuth codes. Those parameters are replaced by
 * `REDACTED` and the fragment (where SPAs keep tokens) is dropped; everything else (the search, the alert id) stays,
 * because it tells the reader of the audit log where the analyst was.
 */
const SENSITIVE_PART = /token|secret|apikey|passw|signature|credential|jwt|saml|session|auth/i;
const SENSITIVE_WORD = /(^|[-_.])(key|sig|sid|code|pwd|x-amz-[a-z-]+)([-_.]|$)/i;
const isSensitive = (name: string) => SENSITIVE_PART.test(name) || SENSITIVE_WORD.test(name);
/(^|[-_.])(token|key|secret|sig|signature|auth|session|sess|sid|code|password|passwd|pwd|jwt|saml|credential|x-amz-[a-z-]+)([-_.]|$)/i;

export function redactPageUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  url.username = '';
  url.password = '';
  url.hash = '';
  for (const name of [...new Set(url.searchParams.keys())]) {
    if (isSensitive(name)) url.searchParams.set(name, 'REDACTED');
  }
  return url.href;
}
