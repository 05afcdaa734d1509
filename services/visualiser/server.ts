import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { portInUse } from '../../shared/runtime/config.js';
import { PAGE_CONFIG_PATH, type PageConfig } from '../../shared/contract/page-config.js';
import { serveStatic } from './static-files.js';

export interface PageServerOptions {
  host: string;
  port: number;
  /** The built page (Vite's output). */
  webRoot: string;
  /** The config a browser gets, given the Host header it used. */
  pageConfig: PageConfig;
  /** Counts requests, for the service's stats. */
  onRequest?(kind: 'page' | 'config' | 'other'): void;
}

export interface PageServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The visualiser's HTTP server: the built page, and `/config.json` telling it where the broker is. */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const files = serveStatic(options.webRoot);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
      return;
    }
    if (path === PAGE_CONFIG_PATH) {
      options.onRequest?.('config');
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(options.pageConfig));
      return;
    }
    options.onRequest?.(path === '/' || path === '/index.html' ? 'page' : 'other');
    files(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  server.keepAliveTimeout = 2_000;

  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(options.port, 'VISUALISER_PORT') : error);
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
