import { describe, expect, it } from 'vitest';
import { tempoSchema } from '../../shared/contract/contract.js';
import { startTestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { runPlayer } from '../helpers/player.js';

describe('score player --tempo', () => {
  it("sets the room's tempo to the score's, retained, with its beat at the score's start", async () => {
    const broker = await startTestBroker();
    const run = runPlayer(['drums', '--tempo', '--bpm', '150'], { MQTT_URL: broker.url });
    try {
      const exit = await run.exited;
      expect(exit.code, exit.stderr).toBe(0);
      expect(exit.stdout).toContain("set the room's tempo to 150 bpm");
      const late = await RecordingClient.connect(broker.url);
      try {
        await late.subscribe('openwest/tempo');
        const message = await late.next('openwest/tempo');
        expect(message.retain).toBe(true);
        const tempo = tempoSchema.parse(message.json());
        expect(tempo).toMatchObject({ bpm: 150, steps: 4 });
        expect(tempo.since).toBeGreaterThan(Date.now() - 60_000);
      } finally {
        await late.close();
      }
    } finally {
      run.kill();
      await broker.close(100);
    }
  });

  it('leaves the tempo alone without --tempo', async () => {
    const broker = await startTestBroker();
    const watcher = await RecordingClient.connect(broker.url);
    const run = runPlayer(['mary', '--bpm', '400'], { MQTT_URL: broker.url });
    try {
      await watcher.subscribe('openwest/tempo', 'openwest/performer/+');
      const exit = await run.exited;
      expect(exit.code, exit.stderr).toBe(0);
      expect(watcher.on('openwest/performer/1').length).toBeGreaterThan(0);
      expect(watcher.on('openwest/tempo')).toEqual([]);
    } finally {
      run.kill();
      await watcher.close();
      await broker.close(100);
    }
  });
});
