import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';

let broker: TestBroker | undefined;
afterEach(async () => {
  await broker?.close(0);
});

describe('broker authentication', () => {
  it('lets the service user in with SERVICE_PASSWORD and refuses a wrong one', async () => {
    broker = await startTestBroker({ servicePassword: 's3cret' });
    const ok = await RecordingClient.connect(broker.url, { username: 'service', password: 's3cret' });
    await ok.close();
    await expect(RecordingClient.connect(broker.url, { username: 'service', password: 'nope' })).rejects.toThrow(
      /Bad username or password/i,
    );
  });

  it('lets anonymous audience clients connect and watch what the services publish', async () => {
    broker = await startTestBroker({ servicePassword: 's3cret' });
    const anonymous = await RecordingClient.connect(broker.url);
    const service = await RecordingClient.connect(broker.url, { username: 'service', password: 's3cret' });
    try {
      await anonymous.subscribe('openwest/#');
      await service.publish('openwest/notes/1', '{"note":62}');
      expect((await anonymous.next('openwest/notes/1')).text).toBe('{"note":62}');
      expect(anonymous.client.connected).toBe(true);
    } finally {
      await Promise.all([anonymous.close(), service.close()]);
    }
  });

  it('serves MQTT over WebSocket too', async () => {
    broker = await startTestBroker();
    const ws = await RecordingClient.connect(broker.wsUrl);
    await ws.subscribe('openwest/notes/+');
    await ws.publish('openwest/notes/1', '{}');
    expect((await ws.next('openwest/notes/1')).text).toBe('{}');
    await ws.close();
  });
});
