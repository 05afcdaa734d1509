import { rejectionOf, type Rejection } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import type { RejectionCode, RejectionOutput } from './mapper-output.js';

export const rejection = (service: string, m: IncomingMessage, reason: string): Rejection =>
  rejectionOf({ service, topic: m.topic, payload: m.payload, reason }, m.receivedAt);

export const rejectionOutput = (
  service: string,
  m: IncomingMessage,
  code: RejectionCode,
  reason: string,
): RejectionOutput => ({
  kind: 'rejection',
  code,
  rejection: rejection(service, m, reason),
});
