import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A small static server on 127.0.0.1 for the fixture pages (and, for knowledge tests, the shared ATT&CK / D3FEND
 * files). Extra routes can be added per test. Used by the Playwright suite, the benchmarks and `npm start`.
 */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const pagesDir = path.join(repoRoot, 'test/fixtures/pages');
export const sharedDataDir = path.resolve(repoRoot, process.env.RIPOSTE_SHARED_DATA ?? '../shared/data');

export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface FixtureServer {
  url: string;
  origin: string;
  /** Requests received, as "METHOD /path". */
  log: string[];
  route(route: Route): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.gz': 'application/gzip',
  '.ttl': 'text/turtle',
  '.txt': 'text/plain; charset=utf-8',
};

function serveFile(res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

export async function startFixtureServer(port = 0, host = '127.0.0.1'): Promise<FixtureServer> {
  const routes: Route[] = [];
  const log: string[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.push(`${req.method} ${url.pathname}`);
    for (const route of routes) if (await route(req, res)) return;
    const rel = decodeURIComponent(url.pathname);
    const bases: [string, string][] = [
      ['/shared/', sharedDataDir],
      ['/', pagesDir],
    ];
    for (const [prefix, dir] of bases) {
      if (!rel.startsWith(prefix)) continue;
      const file = path.resolve(dir, `.${rel.slice(prefix.length - 1)}`);
      if (!file.startsWith(dir)) break;
      const target = existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'index.html') : file;
      if (existsSync(target)) {
        serveFile(res, target);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: actual } = server.address() as AddressInfo;
  const origin = `http://${host}:${actual}`;
  return {
    url: `${origin}/`,
    origin,
    log,
    route: (r) => routes.push(r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
