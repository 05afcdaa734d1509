import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { startVisualiser } from '../../services/visualiser/visualiser.js';
import { pageConfigSchema } from '../../shared/contract/page-config.js';
import type { Stats } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so the test controls the Host header and the path exactly as sent. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let broker: TestBroker;
let watcher: RecordingClient;
let root: string;
let visualiser: Awaited<ReturnType<typeof startVisualiser>>;
let printed = '';

beforeAll(async () => {
  broker = await startTestBroker();
  watcher = await RecordingClient.connect(broker.url);
  await watcher.subscribe('openwest/stats/visualiser');
  root = mkdtempSync(join(tmpdir(), 'openwest-web-'));
  mkdirSync(join(root, 'stage'));
  writeFileSync(join(root, 'index.html'), 'page');
  writeFileSync(join(root, 'stage', 'index.html'), 'stage');
  mkdirSync(join(root, 'assets'));
  visualiser = await startVisualiser(
    visualiserEnv.parse({
      MQTT_URL: broker.url,
      PORT: '0',
      BIND_HOST: '127.0.0.1',
      STATS_INTERVAL_MS: '100',
      LOG_LEVEL: 'silent',
    }),
    testLog(),
    { webRoot: root, print: (t) => (printed += t) },
  );
});

afterAll(async () => {
  await visualiser?.stop();
  await watcher?.close();
  await broker?.close(100);
  rmSync(root, { recursive: true, force: true });
});

describe('the stage on the page server', () => {
  it('serves the stage at /stage/ and moves /stage there, keeping the query', async () => {
    expect(await get(visualiser.port, '/stage/')).toMatchObject({ status: 200, body: 'stage' });
    const moved = await get(visualiser.port, '/stage?x=1');
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe('/stage/?x=1');
    // A folder without a page is no page, and a folder name never becomes another host.
    expect((await get(visualiser.port, '/assets')).status).toBe(404);
    // `/%2Fstage` decodes to `//stage`: moved to `//stage/`, a browser would go to the host "stage".
    const sneaky = await get(visualiser.port, '/%2Fstage');
    expect(sneaky).toMatchObject({ status: 308, headers: { location: '/stage/' } });
    const stats = await watcher.next('openwest/stats/visualiser', (m) => m.json<Stats>().stages === 1);
    expect(stats.json<Stats>()).toMatchObject({ stages: 1 });
  });

  it('gives the page the join address the banner prints first, whatever Host the request carries', async () => {
    const joinUrl = `http://127.0.0.1:${visualiser.port}/`;
    expect(printed).toContain(`page: ${joinUrl}`);
    const plain = await get(visualiser.port, '/config.json');
    const forged = await get(visualiser.port, '/config.json', { host: 'evil.example:3000' });
    expect(pageConfigSchema.parse(JSON.parse(plain.body))).toMatchObject({ joinUrl });
    expect(forged.body).toBe(plain.body);
  });

  it('serves the join address as an SVG QR code', async () => {
    const svg = await get(visualiser.port, '/join.svg', { host: 'evil.example:3000' });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toMatch(/^<svg[^>]*viewBox="0 0 (\d+) \1"/);
    expect(svg.body).toContain('<path');
    expect(svg.body).not.toContain('evil');
  });
});
