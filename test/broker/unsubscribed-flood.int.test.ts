import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';

let broker: TestBroker | undefined;
const clients: RecordingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await broker?.close(0);
});

describe('a flood of messages nobody is subscribed to', () => {
  it('does not overflow the broker’s stack: it keeps routing to the next subscriber', async () => {
    broker = await startTestBroker();
    const flooder = await RecordingClient.connect(broker.url);
    const listener = await RecordingClient.connect(broker.url);
    clients.push(flooder, listener);
    await listener.subscribe('openwest/notes/1');

    // One write holding 50,000 publishes: aedes parses them in one go, each completing at once.
    const packets = Array.from({ length: 50_000 }, () =>
      Buffer.from([0x30, 0x0e, 0x00, 0x0b, ...Buffer.from('nobody/here'), 0x36]),
    ).reduce((all, p) => (all.push(p), all), [] as Buffer[]);
    (flooder.client.stream as NodeJS.WritableStream).write(Buffer.concat(packets));
    await listener.publish('openwest/notes/1', 'still here');
    expect((await listener.next('openwest/notes/1', () => true, 15_000)).text).toBe('still here');
  });
});
