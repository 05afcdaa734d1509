import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { testEnv } from '../helpers/env.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { repoRoot, startProcfile, waitForOutput, type Foreman } from '../helpers/procfile.js';

// A copy of the repository's layout (the Procfile, and links to dist/ and node_modules/) with a
// `.env` beside the Procfile such as `npm start` leaves, holding other settings, and a shell
// that exported a password: the test's settings must be the only ones the services see.
// A show of its own: it runs from that copy, beside its `.env`, not from the repository.
const dir = mkdtempSync(join(tmpdir(), 'openwest-hermetic-'));
let foreman: Foreman | undefined;
const exported = process.env.SERVICE_PASSWORD;

afterAll(async () => {
  await foreman?.kill();
  if (exported === undefined) delete process.env.SERVICE_PASSWORD;
  else process.env.SERVICE_PASSWORD = exported;
  rmSync(dir, { recursive: true, force: true });
});

describe('tests are hermetic', () => {
  it('a .env beside the Procfile and a password in the shell change nothing the test’s services use', async () => {
    copyFileSync(resolve(repoRoot, 'Procfile'), join(dir, 'Procfile'));
    symlinkSync(resolve(repoRoot, 'dist'), join(dir, 'dist'));
    symlinkSync(resolve(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    const otherPort = await freePort();
    writeFileSync(
      join(dir, '.env'),
      `SERVICE_PASSWORD=from-a-dotenv\nMQTT_PORT=${otherPort}\nTOPIC_PREFIX=elsewhere\n`,
    );
    process.env.SERVICE_PASSWORD = 'from-the-shell';

    const port = await freePort();
    foreman = await startProcfile(
      {
        MQTT_PORT: String(port),
        MQTT_WS_PORT: String(await freePort()),
        BIND_HOST: '127.0.0.1',
        SYNTH_OUTPUT: 'none',
        SENSOR_SOURCE: 'none',
      },
      'Procfile',
      dir,
    );
    await waitForOutput(foreman, 'broker ready', 30_000);
    // No password reached the broker: an anonymous client has the service role, on the test's
    // port and prefix, and the mapper (which would have logged in with a password) plays.
    const client = await RecordingClient.connect(`mqtt://127.0.0.1:${port}`);
    try {
      await client.subscribe('openwest/#');
      await client.next('openwest/status/mapper', (m) => m.text.includes('"online"'), 20_000);
      await client.publish('openwest/status/test', '{"service":"test"}', { qos: 1 });
      await client.next('openwest/status/test');
      await client.publish('openwest/instruments/1', '62', { qos: 1 });
      expect((await client.next('openwest/notes/1', () => true, 10_000)).json()).toMatchObject({ note: 62 });
    } finally {
      await client.close();
    }
    expect(foreman.output()).not.toContain(String(otherPort));
  });
});

describe('a tool that reads .env itself, as the score player does when started by hand', () => {
  it('keeps the empty settings a test gives it: the .env’s password does not reach it', () => {
    const file = join(dir, 'tool.env');
    writeFileSync(file, 'SERVICE_PASSWORD=from-a-dotenv\nTOPIC_PREFIX=elsewhere\n');
    const script = `process.loadEnvFile(${JSON.stringify(file)}); console.log(JSON.stringify([process.env.SERVICE_PASSWORD, process.env.TOPIC_PREFIX, process.env.MQTT_PORT]))`;
    const run = spawnSync(process.execPath, ['-e', script], { env: testEnv({ MQTT_PORT: '1999' }), encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual(['', '', '1999']);
  });
});
