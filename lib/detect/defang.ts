/**
 * `defang(value, type)`: the safe-to-paste form of a normalised indicator value, for the hover card's
 * "copy defanged": `hxxps://evil[.]com/a`, `1.2.3[.]4`, `user[@]evil[.]com`, `evil[.]example[.]com`,
 * `2001:db8::1` as `2001[:]db8::1`. Types that cannot be clicked or resolved (hashes, ids) come back unchanged.
 */
import type { IndicatorType } from './types.ts';

function defangHost(host: string): string {
  return host.replaceAll('.', '[.]');
}

function defangUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (!m) return url.replaceAll('.', '[.]');
  const scheme = (m[1] as string).replace(/^http/i, 'hxxp').replace(/^ftp/i, 'fxp').replace(/^sftp/i, 'sfxp');
  const authority = m[2] as string;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const host = hostPort.startsWith('[') ? hostPort : defangHost(hostPort);
  return `${scheme}://${userinfo}${host}${m[3] as string}`;
}

export function defang(value: string, type: IndicatorType): string {
  switch (type) {
    case 'url':
      return defangUrl(value);
    case 'domain':
      return defangHost(value);
    case 'email': {
      const at = value.lastIndexOf('@');
      if (at < 0) return value;
      return `${value.slice(0, at)}[@]${defangHost(value.slice(at + 1))}`;
    }
    case 'ipv4': {
      const dot = value.lastIndexOf('.');
      return dot < 0 ? value : `${value.slice(0, dot)}[.]${value.slice(dot + 1)}`;
    }
    case 'cidr': {
      if (value.includes(':')) return value.replace(':', '[:]');
      const slash = value.indexOf('/');
      const address = slash < 0 ? value : value.slice(0, slash);
      const dot = address.lastIndexOf('.');
      return dot < 0 ? value : `${value.slice(0, dot)}[.]${value.slice(dot + 1)}`;
    }
    case 'ipv6':
      return value.replace(':', '[:]');
    default:
      return value;
  }
}
