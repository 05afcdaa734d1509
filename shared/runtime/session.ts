import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * The client id of a service's persistent MQTT session, or undefined for a clean one.
 *
 * The mapper and the synth keep a persistent session (clean: false, QoS 1 subscriptions): while
 * one is away (killed, restarting) the broker keeps the values or notes meant for it, and gives
 * them to whichever copy comes back with the same client id — the supervisor's standby. The id
 * must be stable across restarts and different for every copy that runs at the same time, so it
 * is the service's name and a tag: by default a short hash of this machine's name and the topic
 * prefix (`mapper-3fa2c19d`); `MQTT_SESSION=stage2` gives `mapper-stage2` (a second copy on one
 * machine needs its own); `MQTT_SESSION=off` makes it a clean session like the other services.
 */
export function persistentClientId(
  service: string,
  setting: string,
  prefix: string,
  host: string = hostname(),
): string | undefined {
  if (setting === 'off') return undefined;
  const tag =
    setting === 'auto' ? createHash('sha256').update(`${host}\n${prefix}`).digest('hex').slice(0, 8) : setting;
  return `${service}-${tag}`;
}
