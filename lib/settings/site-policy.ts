import type { PageConfig } from '../messaging/protocol';
import type { Settings } from './schema';

/**
 * Whether Riposte scans a page, from the analyst's pause switches and the allow / deny lists. Pure.
 *
 * Patterns: a bare host (`example.com`) matches the host and its subdomains; a host glob (`*.corp.example`,
 * `siem-*.corp.example`) matches hosts only; a pattern containing `/` is a URL glob matched against the whole URL
 * (`https://console.example.com/alerts/*`).
 */
export function pageConfigFor(rawUrl: string, settings: Settings): PageConfig {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { enabled: false, reason: 'Not a web page' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { enabled: false, reason: 'Not a web page' };
  const host = url.hostname.toLowerCase();
  if (settings.paused) return { enabled: false, reason: 'Paused everywhere' };
  if (settings.pausedSites.some((site) => hostMatches(host, site))) {
    return { enabled: false, reason: `Paused on ${host}` };
  }
  if (settings.denyList.some((p) => sitePatternMatches(p, url))) {
    return { enabled: false, reason: `${host} is on the deny list` };
  }
  if (settings.allowList.length > 0 && !settings.allowList.some((p) => sitePatternMatches(p, url))) {
    return { enabled: false, reason: `${host} is not on the allow list` };
  }
  return { enabled: true };
}

export function sitePatternMatches(pattern: string, url: URL): boolean {
  const p = pattern.trim().toLowerCase();
  if (p.includes('/')) return globToRegExp(p).test(url.href.toLowerCase());
  if (p.includes('*')) return globToRegExp(p).test(url.hostname.toLowerCase());
  return hostMatches(url.hostname.toLowerCase(), p);
}

function hostMatches(host: string, site: string): boolean {
  return host === site || host.endsWith(`.${site}`);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
