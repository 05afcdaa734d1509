import { describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { mosquittoSub } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { startProcfile, waitForOutput } from '../helpers/procfile.js';
import { startPtyPair } from '../helpers/socat.js';

describe('sensor reader in the Procfile', () => {
  it('plays a knob turned on a serial board through every service that npm start runs', async () => {
    const pty = await startPtyPair();
    const port = await freePort();
    const foreman = await startProcfile({
      MQTT_PORT: String(port),
      MQTT_WS_PORT: String(await freePort()),
      BIND_HOST: '127.0.0.1',
      SENSOR_SOURCE: 'serial',
      SERIAL_PORT: pty.device,
      SYNTH_OUTPUT: 'none',
    });
    try {
      await waitForOutput(foreman, `reading knobs from ${pty.device}`, 60_000);
      const sub = await mosquittoSub(port, ['openwest/played/+', 'openwest/stats/sensor']);
      try {
        pty.send('#openwest-knobs 1 knobs=6\r\n2:1023\r\n');
        const played = JSON.parse(await sub.next('openwest/played/3', () => true, 30_000)) as Record<string, unknown>;
        expect(played).toMatchObject({
          instrument: 3,
          value: 90,
          note: mapValue(defaultInstruments[2]!, 90),
          output: 'none',
        });
      } finally {
        sub.stop();
      }
      await foreman.stop('SIGINT', 20_000); // throws if the services do not all stop
    } finally {
      await foreman.kill();
      await pty.stop();
    }
  }, 120_000);
});
