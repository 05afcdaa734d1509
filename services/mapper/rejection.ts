import { REJECTED_PAYLOAD_MAX_CHARS, type Rejection } from '../../shared/contract.js';
import type { IncomingMessage } from '../../shared/service.js';
import type { RejectionCode, RejectionOutput } from './mapper-output.js';

const MAX_TOPIC_CHARS = 256;

/** The payload is shown as text, cut to the contract's 64 characters; the topic to 256. */
export function rejection(service: string, m: IncomingMessage, reason: string): Rejection {
  return {
    service,
    topic: m.topic.slice(0, MAX_TOPIC_CHARS),
    payload: m.payload.subarray(0, REJECTED_PAYLOAD_MAX_CHARS * 4).toString('utf8').slice(0, REJECTED_PAYLOAD_MAX_CHARS),
    reason,
    at: m.receivedAt,
  };
}

export const rejectionOutput = (service: string, m: IncomingMessage, code: RejectionCode, reason: string): RejectionOutput => ({
  kind: 'rejection',
  code,
  rejection: rejection(service, m, reason),
});
