import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { brokerUrlFor, pageConfigOf } from '../../shared/contract/page-config.js';
import { startPageServer, type PageServer } from '../../services/visualiser/server.js';
import { startVisualiser } from '../../services/visualiser/visualiser.js';
import type { Stats, Status } from '../../shared/contract/contract.js';
import { startTestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so the test controls the Host header and the path exactly as sent. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('page config', () => {
  const config = pageConfigOf({ prefix: 'openwest', wsPort: 9001 });

  it('points the browser at the broker on the host name it loaded the page from', () => {
    expect(brokerUrlFor(config, '192.168.1.20')).toBe('ws://192.168.1.20:9001');
    expect(brokerUrlFor(config, 'laptop.local')).toBe('ws://laptop.local:9001');
    expect(brokerUrlFor(config, '[::1]')).toBe('ws://[::1]:9001');
    expect(brokerUrlFor(config, '::1')).toBe('ws://[::1]:9001');
  });

  it('uses MQTT_WS_URL as it is when the broker is elsewhere', () => {
    const fixed = pageConfigOf({ prefix: 'openwest', wsPort: 9001, fixedUrl: 'wss://broker.example:8443/mqtt' });
    expect(brokerUrlFor(fixed, '192.168.1.20')).toBe('wss://broker.example:8443/mqtt');
  });
});

describe('page server', () => {
  let root: string;
  let server: PageServer;
  const counted: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'openwest-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>page</title>');
    writeFileSync(join(root, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(join(root, '..', 'openwest-secret.txt'), 'secret');
    server = await startPageServer({
      host: '127.0.0.1',
      port: 0,
      webRoot: root,
      pageConfig: pageConfigOf({ prefix: 'openwest', wsPort: 9999 }),
      onRequest: (kind) => counted.push(kind),
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(join(root, '..', 'openwest-secret.txt'), { force: true });
  });

  it('serves the built page at / and its assets with their types, the HTML never cached', async () => {
    const page = await get(server.port, '/');
    expect(page).toMatchObject({ status: 200, body: '<!doctype html><title>page</title>' });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await get(server.port, '/assets/main-abc123.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('answers /config.json the same whatever Host header the request carries: nothing of it is reflected', async () => {
    const plain = await get(server.port, '/config.json');
    const forged = await get(server.port, '/config.json', { host: 'evil.example:3000' });
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.body)).toEqual({ prefix: 'openwest', wsPort: 9999 });
    expect(forged.body).toBe(plain.body);
    expect(forged.body).not.toContain('evil');
    expect(counted).toContain('config');
  });

  it('refuses paths outside the page, unknown files and other methods without crashing', async () => {
    for (const path of [
      '/../openwest-secret.txt',
      '/%2e%2e/openwest-secret.txt',
      '/assets/../../openwest-secret.txt',
      '/nope.js',
    ]) {
      const reply = await get(server.port, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('secret');
    }
    expect((await get(server.port, '/%E0%A4%A')).status).toBe(400);
    expect((await get(server.port, '/', {}, 'POST')).status).toBe(405);
    expect((await get(server.port, '/')).status).toBe(200);
  });
});

describe('visualiser service', () => {
  it('announces itself online with stats, and offline when it stops', async () => {
    const broker = await startTestBroker();
    const watcher = await RecordingClient.connect(broker.url);
    let printed = '';
    try {
      await watcher.subscribe('openwest/status/visualiser', 'openwest/stats/visualiser');
      const config = visualiserEnv.parse({
        MQTT_URL: broker.url,
        PORT: '0',
        BIND_HOST: '127.0.0.1',
        STATS_INTERVAL_MS: '100',
        LOG_LEVEL: 'silent',
      });
      const root = mkdtempSync(join(tmpdir(), 'openwest-web-'));
      writeFileSync(join(root, 'index.html'), 'hi');
      const visualiser = await startVisualiser(config, testLog(), { webRoot: root, print: (t) => (printed += t) });
      expect(printed).toContain(`http://127.0.0.1:${visualiser.port}/`);
      expect((await get(visualiser.port, '/')).body).toBe('hi');
      expect((await watcher.next('openwest/status/visualiser')).json<Status>().state).toBe('online');
      const stats = await watcher.next('openwest/stats/visualiser', (m) => m.json<Stats>().pages === 1);
      expect(stats.json<Stats>()).toMatchObject({ service: 'visualiser', pages: 1 });
      await visualiser.stop();
      await watcher.next('openwest/status/visualiser', (m) => m.json<Status>().state === 'offline');
      await expect(get(visualiser.port, '/')).rejects.toThrow();
      rmSync(root, { recursive: true, force: true });
    } finally {
      await watcher.close();
      await broker.close(100);
    }
  });
});
