import { describe, expect, it } from 'vitest';
import { persistentClientId } from '../../shared/runtime/session.js';

describe('persistentClientId', () => {
  it('is stable for one service on one machine and prefix, so the next copy resumes the session', () => {
    expect(persistentClientId('mapper', 'auto', 'openwest', 'stage-laptop')).toBe(
      persistentClientId('mapper', 'auto', 'openwest', 'stage-laptop'),
    );
    expect(persistentClientId('mapper', 'auto', 'openwest', 'stage-laptop')).toMatch(/^mapper-[0-9a-f]{8}$/);
  });

  it('differs between services, machines and prefixes, so copies that run together never share one', () => {
    const ids = [
      persistentClientId('mapper', 'auto', 'openwest', 'a'),
      persistentClientId('synth', 'auto', 'openwest', 'a'),
      persistentClientId('mapper', 'auto', 'openwest', 'b'),
      persistentClientId('mapper', 'auto', 'rehearsal', 'a'),
    ];
    expect(new Set(ids).size).toBe(4);
  });

  it('takes a tag from MQTT_SESSION, and none with MQTT_SESSION=off (a clean session)', () => {
    expect(persistentClientId('synth', 'stage2', 'openwest', 'a')).toBe('synth-stage2');
    expect(persistentClientId('synth', 'off', 'openwest', 'a')).toBeUndefined();
  });
});
