import { parseInstrumentTopic, type Topics } from '../../shared/contract/topics.js';

/**
 * Who may do what on the embedded broker (docs/services/broker.md). Deny by default:
 * a service has full access under the prefix; the audience may play and watch, nothing else.
 */
export type Role = 'service' | 'audience';

export interface AudienceRules {
  /** Largest payload the audience may publish, in bytes. */
  maxPayloadBytes: number;
}

export interface PublishAttempt {
  topic: string;
  qos: number;
  retain: boolean;
  payload: Buffer | string;
}

/** undefined: allowed; a string: the reason it is refused. */
export type Verdict = string | undefined;

export function publishVerdict(topics: Topics, role: Role, attempt: PublishAttempt, rules: AudienceRules): Verdict {
  if (!underPrefix(topics, attempt.topic)) return `publishing outside ${topics.prefix}/ is not allowed`;
  if (role === 'service') return undefined;
  const target = parseInstrumentTopic(topics, attempt.topic);
  if (!target.ok) return `the audience may only publish to ${topics.prefix}/instruments/{1..16}`;
  if (attempt.retain) return 'retained messages are not allowed';
  if (attempt.qos > 1) return 'QoS 2 is not allowed: use QoS 0 or 1';
  const payloadBytes =
    typeof attempt.payload === 'string' ? Buffer.byteLength(attempt.payload) : attempt.payload.length;
  if (payloadBytes > rules.maxPayloadBytes)
    return `payload of ${payloadBytes} bytes is over the ${rules.maxPayloadBytes}-byte limit`;
  return undefined;
}

/**
 * Both roles watch the same topics: everything under the prefix, nothing else ($SYS included).
 * A filter that cannot match anything under the prefix (`other/#`, `$SYS/#`) is refused; one that
 * matches more (`#`, `+/instruments/1`, as MQTT Explorer subscribes) is granted, and
 * `deliverable` keeps what reaches the client under the prefix, as Mosquitto's ACL does.
 */
export function subscribeVerdict(topics: Topics, topicFilter: string): Verdict {
  const levels = topics.prefix.split('/');
  const given = topicFilter.split('/');
  for (let i = 0; i < levels.length; i++) {
    if (given[i] === '#') return undefined;
    if (given[i] !== '+' && given[i] !== levels[i]) return `subscribing outside ${topics.prefix}/ is not allowed`;
  }
  return given.length > levels.length ? undefined : `subscribing outside ${topics.prefix}/ is not allowed`;
}

/** Whether a message on `topic` may reach a client at all, whatever it subscribed to. */
export const deliverable = (topics: Topics, topic: string): boolean => underPrefix(topics, topic);

// Runs for every message and every subscriber (authorizeForward): one prefix check, no allocation.
const underPrefix = (topics: Topics, topic: string) =>
  topic.length > topics.prefix.length &&
  topic.charCodeAt(topics.prefix.length) === 47 /* / */ &&
  topic.startsWith(topics.prefix);
