import { resolve } from 'node:path';
import type { Logger } from '../../shared/runtime/logger.js';
import { reachableHosts, urlHost } from '../../shared/runtime/network.js';
import { startService, type ServiceOptions } from '../../shared/runtime/service.js';
import { reportStats } from '../../shared/runtime/stats.js';
import { pageUrls, startupBanner } from './banner.js';
import type { VisualiserConfig } from './config.js';
import { pageConfigOf } from '../../shared/contract/page-config.js';
import { startPageServer } from './server.js';

export interface VisualiserDeps {
  /** The built page (default: `dist/web` beside the compiled service). */
  webRoot?: string;
  /** Where the start-up banner (addresses, QR code) goes; stdout by default. */
  print?: (text: string) => void;
  /** Draw the QR code in the banner (default: when stdout is a terminal, not foreman's pipe). */
  terminalQr?: boolean;
  serviceOptions?: ServiceOptions;
}

/** From dist/services/visualiser/ (compiled) to dist/web/. */
export const defaultWebRoot = resolve(import.meta.dirname, '../../web');

/**
 * The visualiser: serves the page, the stage (`/stage/`) and `/config.json`, prints where to find it, and takes part
 * in the room like every service (online status, stats).
 */
export async function startVisualiser(config: VisualiserConfig, log: Logger, deps: VisualiserDeps = {}) {
  const webRoot = deps.webRoot ?? defaultWebRoot;
  const counts = { pages: 0, stages: 0, configs: 0, files: 0 };
  const hosts = reachableHosts(config.BIND_HOST).map(urlHost);
  const server = await startPageServer({
    host: config.BIND_HOST,
    port: config.PORT,
    webRoot,
    // The stage shows the same address the banner prints first (never the request's Host).
    pageConfig: (port) =>
      pageConfigOf({
        prefix: config.TOPIC_PREFIX,
        wsPort: config.MQTT_WS_PORT,
        fixedUrl: config.MQTT_WS_URL,
        joinUrl: pageUrls(hosts, port)[0],
      }),
    onRequest: (kind) => {
      if (kind === 'page') counts.pages += 1;
      else if (kind === 'stage') counts.stages += 1;
      else if (kind === 'config') counts.configs += 1;
      else counts.files += 1;
    },
  });
  const urls = pageUrls(hosts, server.port);
  const print = deps.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  print(await startupBanner(urls, deps.terminalQr ?? process.stdout.isTTY === true));
  log.info(`serving ${webRoot} on ${urls.join('  ')}`);

  let service;
  try {
    service = await startService('visualiser', config, log, deps.serviceOptions);
  } catch (error) {
    await server.close();
    throw error;
  }
  const stats = reportStats(service, config.STATS_INTERVAL_MS, () => ({ ...counts }));

  return {
    port: server.port,
    urls,
    service,
    async stop() {
      stats.stop();
      await Promise.all([server.close(), service.stop()]);
    },
  };
}
