import { describe, expect, it } from 'vitest';
import { deliverable, publishVerdict, subscribeVerdict } from '../../services/broker/roles.js';
import { makeTopics } from '../../shared/contract/topics.js';

const topics = makeTopics('openwest');
const rules = { maxPayloadBytes: 16 };
const attempt = (
  topic: string,
  { payloadBytes = 2, ...extra }: Partial<{ qos: number; retain: boolean; payloadBytes: number }> = {},
) => ({
  topic,
  qos: 0,
  retain: false,
  payload: Buffer.alloc(payloadBytes, 0x36),
  ...extra,
});

describe('publish rules', () => {
  it.each([
    ['audience', attempt('openwest/instruments/1'), undefined],
    ['audience', attempt('openwest/instruments/16', { qos: 1 }), undefined],
    ['audience', attempt('openwest/instruments/16', { payloadBytes: 16 }), undefined],
    [
      'audience',
      attempt('openwest/instruments/1', { payloadBytes: 17 }),
      'payload of 17 bytes is over the 16-byte limit',
    ],
    ['audience', attempt('openwest/instruments/1', { retain: true }), 'retained messages are not allowed'],
    [
      'audience',
      { ...attempt('openwest/instruments/1'), payload: '€'.repeat(6) },
      'payload of 18 bytes is over the 16-byte limit',
    ],
    ['audience', attempt('openwest/instruments/1', { qos: 2 }), 'QoS 2 is not allowed: use QoS 0 or 1'],
    ['audience', attempt('openwest/instruments/17'), 'the audience may only publish to openwest/instruments/{1..16}'],
    ['audience', attempt('openwest/status/mapper'), 'the audience may only publish to openwest/instruments/{1..16}'],
    ['audience', attempt('elsewhere/instruments/1'), 'publishing outside openwest/ is not allowed'],
    ['service', attempt('openwest/status/mapper', { qos: 1, retain: true, payloadBytes: 5000 }), undefined],
    ['service', attempt('$SYS/anything'), 'publishing outside openwest/ is not allowed'],
  ] as const)('%s: %o → %s', (role, a, expected) => {
    expect(publishVerdict(topics, role, a, rules)).toBe(expected);
  });
});

describe('subscribe rules', () => {
  it.each([
    ['openwest/#', true],
    ['openwest/+/1', true],
    ['#', true],
    ['+/notes/1', true],
    ['+', false],
    ['openwest', false],
    ['other/#', false],
    ['$SYS/#', false],
    ['openwestx/#', false],
  ])('%s allowed: %s', (filter, allowed) => {
    expect(subscribeVerdict(topics, filter) === undefined).toBe(allowed);
  });

  it('delivers only topics under the prefix, whatever was subscribed', () => {
    expect(deliverable(topics, 'openwest/notes/1')).toBe(true);
    expect(deliverable(topics, '$SYS/broker/x')).toBe(false);
    expect(deliverable(topics, 'other/x')).toBe(false);
    expect(deliverable(topics, 'openwestx/notes/1')).toBe(false);
  });
});
