import { describe, expect, it } from 'vitest';
import { publishVerdict } from '../../services/broker/roles.js';
import { decodeJson, delivery, tempoSchema } from '../../shared/contract/contract.js';
import { makeTopics, topicKind } from '../../shared/contract/topics.js';

const topics = makeTopics();
const tempo = JSON.stringify({ bpm: 120, steps: 4, since: 1_764_000_000_000 });

describe('the tempo topic in the contract', () => {
  it('is <prefix>/tempo, of kind tempo, delivered at QoS 1 and retained', () => {
    expect(topics.tempo).toBe('openwest/tempo');
    expect(makeTopics('club/a').tempo).toBe('club/a/tempo');
    expect(topicKind(topics, topics.tempo)).toBe('tempo');
    expect(delivery.tempo).toEqual({ qos: 1, retain: true });
  });

  it('accepts bpm 20–300 or 0 (none), steps 2 or 4, and an epoch since; refuses the rest with a reason', () => {
    expect(decodeJson('tempo', tempo)).toEqual({ ok: true, value: { bpm: 120, steps: 4, since: 1_764_000_000_000 } });
    expect(tempoSchema.safeParse({ bpm: 0, steps: 2, since: 0 }).success).toBe(true);
    expect(tempoSchema.safeParse({ bpm: 300, steps: 2, since: 0 }).success).toBe(true);
    for (const bad of [
      { bpm: 10, steps: 4, since: 0 },
      { bpm: 301, steps: 4, since: 0 },
      { bpm: 120, steps: 3, since: 0 },
      { bpm: 120, steps: 4, since: -1 },
      { bpm: 120, steps: 4 },
      { bpm: '120', steps: 4, since: 0 },
    ]) {
      const decoded = decodeJson('tempo', JSON.stringify(bad));
      expect(decoded.ok, JSON.stringify(bad)).toBe(false);
      if (!decoded.ok) expect(decoded.reason).toMatch(/^tempo: /);
    }
  });

  it('is refused to the audience by the broker, retained or not, and open to services', () => {
    const rules = { maxPayloadBytes: 64 };
    for (const retain of [false, true]) {
      const attempt = { topic: topics.tempo, qos: 1, retain, payload: tempo };
      expect(publishVerdict(topics, 'audience', attempt, rules)).toBe(
        'the audience may only publish to openwest/instruments/{1..16}',
      );
      expect(publishVerdict(topics, 'service', attempt, rules)).toBeUndefined();
    }
  });
});
