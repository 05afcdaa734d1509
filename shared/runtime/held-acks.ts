import type { MqttClient } from 'mqtt';

/**
 * A resumed session's queue can arrive in the same read as the CONNACK, before any pipeline
 * listens. HeldMessages keeps those messages, and holds their acknowledgements as long (MQTT.js
 * reads nothing more meanwhile), until the pipelines have subscribed: a kill in between loses
 * nothing the broker did not keep.
 */
export class HeldMessages<M> {
  private held: M[] | undefined;
  private readonly acks: (() => void)[] = [];

  /** `hold` false: nothing is held (a clean session has no queue to lose). */
  constructor(client: MqttClient, hold: boolean) {
    this.held = hold ? [] : undefined;
    client.handleMessage = (_packet, acknowledge) => {
      if (this.held) this.acks.push(() => acknowledge());
      else acknowledge();
    };
  }

  /** Call for each message as it arrives. */
  arrived(message: M): void {
    this.held?.push(message);
  }

  /**
   * The held messages for a new subscriber; the first call also releases everything on the turn
   * after, once every pipeline started in this turn has subscribed.
   */
  replay(): readonly M[] {
    const held = this.held ?? [];
    if (this.held) {
      setImmediate(() => {
        this.held = undefined;
        for (const acknowledge of this.acks.splice(0)) acknowledge();
      });
    }
    return held;
  }
}
