import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { portInUse } from '../../shared/runtime/config.js';
import { JOIN_QR_PATH, PAGE_CONFIG_PATH, type PageConfig } from '../../shared/contract/page-config.js';
import { joinQrSvg } from './banner.js';
import { serveStatic } from './static-files.js';

export interface PageServerOptions {
  host: string;
  port: number;
  /** The built page (Vite's output). */
  webRoot: string;
  /**
   * The config every browser gets (never built from the request). A function of the port the
   * server listens on, when the config names the page's own address (`joinUrl`).
   */
  pageConfig: PageConfig | ((port: number) => PageConfig);
  /** Counts requests, for the service's stats. */
  onRequest?(kind: RequestKind): void;
}

export type RequestKind = 'page' | 'stage' | 'config' | 'other';

const kindOf = (path: string): RequestKind =>
  path === '/' || path === '/index.html'
    ? 'page'
    : path === '/stage/' || path === '/stage/index.html'
      ? 'stage'
      : 'other';

export interface PageServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The visualiser's HTTP server: the built page, and `/config.json` telling it where the broker is. */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const files = serveStatic(options.webRoot);
  // Filled in once the port is known (the config may name the page's own address).
  const answers: { configJson?: string; joinSvg?: string } = {};
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
      return;
    }
    if (path === PAGE_CONFIG_PATH) {
      options.onRequest?.('config');
      // Only in the moment between listening and knowing the port (no address was printed yet).
      if (answers.configJson === undefined) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('starting\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(answers.configJson);
      return;
    }
    if (path === JOIN_QR_PATH && answers.joinSvg !== undefined) {
      options.onRequest?.('other');
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' }).end(answers.joinSvg);
      return;
    }
    options.onRequest?.(kindOf(path ?? '/'));
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

  const { port } = server.address() as AddressInfo;
  const config = typeof options.pageConfig === 'function' ? options.pageConfig(port) : options.pageConfig;
  try {
    if (config.joinUrl) answers.joinSvg = await joinQrSvg(config.joinUrl);
  } catch (error) {
    // Not listening with half an answer: the caller sees the failure and the port is free again.
    server.close();
    throw error;
  }
  answers.configJson = JSON.stringify(config);

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
