import { afterEach, describe, expect, it } from 'vitest';
import { MAX_QUEUED_WHILE_OFFLINE, startService, type Service } from '../../shared/runtime/service.js';
import { configFor, startTestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { noteEvent } from '../helpers/messages.js';
import { waitFor } from '../helpers/wait.js';

let service: Service | undefined;
afterEach(async () => {
  await service?.stop();
});

describe('a service while the broker is away', () => {
  it('drops and counts QoS 0 messages, and queues QoS 1 ones only up to MAX_QUEUED_WHILE_OFFLINE', async () => {
    const broker = await startTestBroker();
    service = await startService('mapper', configFor(broker.url), testLog());
    const down: boolean[] = [];
    service.connected$.subscribe((up) => down.push(!up));
    await broker.close(0);
    await waitFor('the service to see the broker gone', () => down.at(-1) === true);

    const { topics } = service;
    for (let i = 0; i < 3; i++) service.publish(topics.played(1), { ...noteEvent({}), playedAt: 0, output: 'none' }); // QoS 0
    expect(service.droppedWhileOffline()).toBe(3);
    for (let i = 0; i < MAX_QUEUED_WHILE_OFFLINE + 5; i++) service.publish(topics.notes(1), noteEvent({ seq: i })); // QoS 1
    expect(service.droppedWhileOffline()).toBe(3 + 5);
  });
});
