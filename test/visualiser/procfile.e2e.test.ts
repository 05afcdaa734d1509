import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { startProcfile, waitForOutput, type Foreman } from '../helpers/procfile.js';

let foreman: Foreman | undefined;

afterEach(async () => {
  await foreman?.stop().catch(() => foreman?.kill());
  foreman = undefined;
});

describe('visualiser under foreman (npm start)', () => {
  it('serves the built page on VISUALISER_PORT and points browsers at the broker WebSocket', async () => {
    const [mqttPort, wsPort, pagePort] = [await freePort(), await freePort(), await freePort()];
    foreman = await startProcfile({
      MQTT_PORT: String(mqttPort),
      MQTT_WS_PORT: String(wsPort),
      VISUALISER_PORT: String(pagePort),
      BIND_HOST: '127.0.0.1',
      SYNTH_OUTPUT: 'none',
    });
    await waitForOutput(foreman, `page: http://127.0.0.1:${pagePort}/`, 30_000);
    expect(foreman.output()).toContain('scan to open');

    const page = await fetch(`http://127.0.0.1:${pagePort}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>OpenWest instruments</title>');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, 'the built page links its bundle').toBeDefined();
    expect((await fetch(`http://127.0.0.1:${pagePort}/${script}`)).status).toBe(200);

    const config = await fetch(`http://127.0.0.1:${pagePort}/config.json`);
    expect(await config.json()).toEqual({ prefix: 'openwest', wsPort: Number(wsPort) });
  });
});
