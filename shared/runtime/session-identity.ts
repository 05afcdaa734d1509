import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Status } from '../contract/contract.js';
import { persistentClientId } from './session.js';

/** Who a service is on the broker: its client id, whether its session persists, and its status payloads. */
export interface SessionIdentity {
  readonly clientId: string;
  /** The persistent session's id (the client id), or undefined for a clean session. */
  readonly sessionId: string | undefined;
  /** QoS of its subscriptions: 1 in a persistent session, so the broker keeps what arrives meanwhile. */
  readonly subscribeQos: 0 | 1;
  /** The retained `status/{name}` payload for `state`. */
  status(state: Status['state']): string;
}

export interface IdentityOptions {
  name: string;
  prefix: string;
  /** MQTT_SESSION: `auto`, `off` or a tag (shared/runtime/session.ts). */
  sessionSetting: string;
  durable?: boolean | undefined;
  clientId?: string | undefined;
  startedAt: number;
}

/** A durable service keeps one stable id across restarts; any other gets a unique one each start. */
export function sessionIdentity(options: IdentityOptions): SessionIdentity {
  const { name, durable, startedAt } = options;
  const sessionId = durable
    ? (options.clientId ?? persistentClientId(name, options.sessionSetting, options.prefix))
    : undefined;
  const clientId =
    sessionId ?? options.clientId ?? `${name}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return {
    clientId,
    sessionId,
    subscribeQos: sessionId ? 1 : 0,
    status: (state) => JSON.stringify({ service: name, state, pid: process.pid, startedAt } satisfies Status),
  };
}

/** What the log says of a persistent session at each (re)connect. */
export function sessionNote(id: string, resumed: boolean, connections: number): string {
  if (resumed) return ` (persistent session ${id} resumed: what the broker kept for it follows)`;
  if (connections === 1) return ` (persistent session ${id}: the broker keeps what arrives for it while it is away)`;
  return ` (the broker had no session ${id}, it must have restarted: subscribed again)`;
}
