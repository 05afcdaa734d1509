import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from './wait.js';

export interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
  text: string;
  json<T = unknown>(): T;
}

/** A real MQTT.js client that records everything it receives, for assertions. */
export class RecordingClient {
  readonly received: Received[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.received.push({
        topic,
        payload,
        retain: packet.retain,
        text: payload.toString('utf8'),
        json: <T>() => JSON.parse(payload.toString('utf8')) as T,
      });
    });
  }

  static async connect(url: string, options: mqtt.IClientOptions = {}): Promise<RecordingClient> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
    return new RecordingClient(client);
  }

  async subscribe(...filters: string[]): Promise<void> {
    await this.client.subscribeAsync(filters, { qos: 1 });
  }

  async publish(topic: string, payload: string | Buffer, options: mqtt.IClientPublishOptions = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, options);
  }

  on(topic: string): Received[] {
    return this.received.filter((m) => m.topic === topic);
  }

  async next(topic: string, predicate: (m: Received) => boolean = () => true, timeoutMs = 5_000): Promise<Received> {
    return waitFor(
      `a message on ${topic}`,
      () => this.received.find((m) => m.topic === topic && predicate(m)),
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
