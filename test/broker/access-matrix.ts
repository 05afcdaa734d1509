import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mqtt from 'mqtt';
import { RecordingClient } from '../helpers/mqtt-client.js';

/**
 * The access matrix (role × topic × publish/subscribe × QoS × retain), run over real
 * connections against any broker that claims OpenWest's roles. Each broker under test also has
 * a test-only `outsider` login that may read and write anything, to watch what gets through.
 */
export interface BrokerUnderTest {
  url: string;
  service: { username: string; password: string };
  outsider: { username: string; password: string };
  stop(): Promise<void>;
}

export interface MatrixOptions {
  /** Refuses retained and oversized audience publishes (Mosquitto cannot: README). */
  checksRetainAndPayload: boolean;
}

let unique = 0;
const clientId = (role: string) => `${role}-${process.pid}-${++unique}`;

export function describeAccessMatrix(name: string, start: () => Promise<BrokerUnderTest>, options: MatrixOptions) {
  describe(`access on ${name}`, () => {
    let broker: BrokerUnderTest;
    let outsider: RecordingClient;
    let service: RecordingClient;
    let audience: RecordingClient;
    const open: RecordingClient[] = [];
    const roles = new Map<RecordingClient, 'audience' | 'service' | 'outsider'>();

    const connect = async (role: 'audience' | 'service' | 'outsider', extra: mqtt.IClientOptions = {}) => {
      const login = role === 'audience' ? {} : broker[role];
      const client = await RecordingClient.connect(broker.url, { clientId: clientId(role), ...login, ...extra });
      open.push(client);
      roles.set(client, role);
      return client;
    };

    beforeAll(async () => {
      broker = await start();
      outsider = await connect('outsider');
      await outsider.subscribe('#');
      service = await connect('service');
      audience = await connect('audience');
    });
    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await broker.stop();
    });

    /** Publishes, then a sentinel from the same client; the first arrives before the sentinel or not at all. */
    const delivered = async (
      from: RecordingClient,
      topic: string,
      payload: string,
      opts: mqtt.IClientPublishOptions = {},
    ) => {
      const sentinelTopic = roles.get(from) === 'audience' ? 'openwest/instruments/16' : 'openwest/notes/16';
      const sentinel = `s${++unique}`;
      await from.publish(topic, payload, opts);
      await from.publish(sentinelTopic, sentinel);
      await outsider.next(sentinelTopic, (m) => m.text === sentinel);
      return outsider.received.some((m) => m.topic === topic && m.text === payload);
    };

    describe('the audience publishes', () => {
      it.each([1, 9, 16])('plays instrument %i at QoS 0', async (n) => {
        expect(await delivered(audience, `openwest/instruments/${n}`, `6${n % 10}`)).toBe(true);
      });

      it('plays at QoS 1 and gets its PUBACK', async () => {
        expect(await delivered(audience, 'openwest/instruments/2', '62', { qos: 1 })).toBe(true);
      });

      it.each([
        'openwest/instruments/0',
        'openwest/instruments/17',
        'openwest/instruments/01',
        'openwest/instruments/1/x',
        'openwest/instruments',
      ])('cannot publish to %s (not an instrument 1-16)', async (topic) => {
        expect(await delivered(audience, topic, '62')).toBe(false);
      });

      it.each([
        'openwest/notes/1',
        'openwest/played/1',
        'openwest/errors',
        'openwest/status/mapper',
        'openwest/stats/mapper',
        'openwest/config/instruments',
        'openwest/panic',
        'openwest/performer/1',
      ])('cannot publish to %s, at QoS 0 or 1', async (topic) => {
        expect(await delivered(audience, topic, '{"fake":1}')).toBe(false);
        expect(await delivered(audience, topic, '{"fake":2}', { qos: 1 })).toBe(false);
      });

      it.each(['other/topic', 'openwestx/instruments/1', '$SYS/broker/fake'])(
        'cannot publish outside the prefix: %s',
        async (topic) => {
          expect(await delivered(audience, topic, '62')).toBe(false);
        },
      );

      it('stays connected after a refused publish and plays the next valid value', async () => {
        const phone = await connect('audience');
        expect(await delivered(phone, 'openwest/notes/1', 'wrong')).toBe(false);
        expect(phone.client.connected).toBe(true);
        expect(await delivered(phone, 'openwest/instruments/3', '64')).toBe(true);
      });

      it('never gets a QoS 2 publish delivered', async () => {
        const phone = await connect('audience');
        phone.client.publish('openwest/instruments/4', '65', { qos: 2 });
        // A sentinel on the same connection, after it: a broker handles one connection's packets
        // in order, so once the sentinel is through (or the broker hung up, as Mosquitto's
        // max_qos does) the QoS 2 publish has been dealt with.
        const sentinel = `s${++unique}`;
        phone.client.publish('openwest/instruments/16', sentinel);
        const hungUp = new Promise<void>((resolve) => phone.client.once('close', () => resolve()));
        await Promise.race([outsider.next('openwest/instruments/16', (m) => m.text === sentinel), hungUp]);
        const later = await connect('audience');
        expect(await delivered(later, 'openwest/instruments/5', '66')).toBe(true);
        expect(outsider.received.some((m) => m.topic === 'openwest/instruments/4' && m.text === '65')).toBe(false);
      });

      if (options.checksRetainAndPayload) {
        it('cannot publish a retained value, and nothing is retained', async () => {
          expect(await delivered(audience, 'openwest/instruments/6', '67', { retain: true, qos: 1 })).toBe(false);
          const late = await connect('outsider');
          await late.subscribe('openwest/instruments/6');
          // a retained message comes right after the SUBACK, before anything published later
          const sentinel = `s${++unique}`;
          await audience.publish('openwest/instruments/6', sentinel);
          await late.next('openwest/instruments/6', (m) => m.text === sentinel);
          expect(late.on('openwest/instruments/6').map((m) => m.text)).toEqual([sentinel]);
        });

        it('may publish a 16-byte payload but not a 17-byte one', async () => {
          expect(await delivered(audience, 'openwest/instruments/7', '6'.repeat(16))).toBe(true);
          expect(await delivered(audience, 'openwest/instruments/7', '7'.repeat(17))).toBe(false);
        });
      }
    });

    describe('a service publishes', () => {
      it.each([
        'openwest/notes/1',
        'openwest/played/1',
        'openwest/errors',
        'openwest/stats/mapper',
        'openwest/instruments/1',
        'openwest/performer/1',
      ])('to %s', async (topic) => {
        expect(await delivered(service, topic, `{"n":${++unique}}`)).toBe(true);
      });

      it('a retained status at QoS 1 that a late subscriber receives', async () => {
        expect(await delivered(service, 'openwest/status/matrix', '{"state":"online"}', { qos: 1, retain: true })).toBe(
          true,
        );
        const late = await connect('audience');
        await late.subscribe('openwest/status/matrix');
        expect((await late.next('openwest/status/matrix')).retain).toBe(true);
      });

      it('cannot publish outside the prefix', async () => {
        expect(await delivered(service, 'other/topic', 'x')).toBe(false);
      });

      it('cannot log in with a wrong password', async () => {
        await expect(
          RecordingClient.connect(broker.url, {
            clientId: clientId('impostor'),
            username: broker.service.username,
            password: 'wrong',
          }),
        ).rejects.toThrow(/not authori[sz]ed|bad user ?name or password/i);
      });
    });

    describe('the audience subscribes', () => {
      it.each(['openwest/#', 'openwest/notes/+', 'openwest/notes/1', '#', '+/notes/1'])(
        'with %s and receives what services publish under the prefix',
        async (filter) => {
          const watcher = await connect('audience');
          await watcher.subscribe(filter);
          const payload = `{"n":${++unique}}`;
          await service.publish('openwest/notes/1', payload);
          await watcher.next('openwest/notes/1', (m) => m.text === payload);
        },
      );

      it.each(['#', 'other/#', '+/topic', '$SYS/#'])(
        'with %s and never receives anything outside the prefix',
        async (filter) => {
          const watcher = await connect('audience');
          await watcher.subscribe('openwest/notes/16');
          // The embedded broker refuses filters wholly outside the prefix (SUBACK 128, which MQTT.js
          // turns into an error); Mosquitto grants them and delivers nothing.
          await watcher.client.subscribeAsync(filter, { qos: 1 }).catch(() => undefined);
          const payload = `x${++unique}`;
          await outsider.publish('other/topic', payload);
          await outsider.publish('$SYS/fake', payload);
          await outsider.publish('openwest/notes/16', payload);
          await watcher.next('openwest/notes/16', (m) => m.text === payload);
          expect(watcher.received.filter((m) => !m.topic.startsWith('openwest/'))).toEqual([]);
        },
      );
    });
  });
}
