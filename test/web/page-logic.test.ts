import { describe, expect, it } from 'vitest';
import { makeTopics } from '../../shared/contract/topics.js';
import { defaultBackoff, describeConnection, reconnectDelayMs } from '../../web/state/backoff.js';
import { decodeRoomMessage, roomFilters } from '../../web/state/decode.js';
import { keyFigures } from '../../web/state/key-figures.js';
import { roomFullText } from '../../web/state/room-full.js';
import { keyboardLayout, padValue } from '../../web/state/keyboard.js';
import { rollBars } from '../../web/state/piano-roll.js';
import { drumSound, voicePlanFor } from '../../web/sound/voice-plan.js';
import { noteEvent } from '../helpers/messages.js';

const topics = makeTopics('openwest');
/** A refusal, its reason matched by an asymmetric matcher. */
type Refused = { ok: false; reason: unknown };

describe('decoding what the page receives', () => {
  it('accepts contract payloads on the room topics', () => {
    const d = decodeRoomMessage(topics, 'openwest/notes/1', JSON.stringify(noteEvent({ name: 'D4' })), 12);
    expect(d).toEqual({ ok: true, event: { kind: 'note', note: noteEvent({ name: 'D4' }), at: 12 } });
    const s = decodeRoomMessage(
      topics,
      'openwest/status/mapper',
      '{"service":"mapper","state":"offline","pid":3,"startedAt":1}',
      0,
    );
    expect(s).toMatchObject({ ok: true, event: { kind: 'status', status: { service: 'mapper', state: 'offline' } } });
  });

  it('refuses bad payloads and foreign topics with a reason instead of throwing', () => {
    expect(decodeRoomMessage(topics, 'openwest/notes/1', '{"instrument":1}', 0)).toMatchObject<Refused>({
      ok: false,
      reason: expect.stringContaining('notes: '),
    });
    expect(decodeRoomMessage(topics, 'openwest/notes/1', 'garbage', 0)).toMatchObject<Refused>({
      ok: false,
      reason: expect.stringContaining('not JSON'),
    });
    expect(decodeRoomMessage(topics, 'openwest/instruments/1', '62', 0)).toMatchObject({ ok: false });
    expect(decodeRoomMessage(topics, 'other/notes/1', JSON.stringify(noteEvent()), 0)).toMatchObject({ ok: false });
  });

  it('subscribes to exactly the topics the page shows, under the configured prefix', () => {
    expect(roomFilters(makeTopics('stage/west'))).toEqual([
      'stage/west/config/instruments',
      'stage/west/notes/+',
      'stage/west/played/+',
      'stage/west/status/+',
      'stage/west/stats/+',
      'stage/west/errors',
    ]);
  });
});

describe('piano roll geometry', () => {
  const area = { width: 800, height: 60, low: 30, high: 90, windowMs: 8_000 };

  it('puts a new note at the right edge and scrolls it left as it ages', () => {
    const fresh = rollBars([{ note: 60, name: 'C4', at: 1_000, durationMs: 400 }], 1_000, area);
    const older = rollBars([{ note: 60, name: 'C4', at: 1_000, durationMs: 400 }], 5_000, area);
    expect(fresh[0]).toMatchObject({ x: 800, w: 40, alpha: 1 });
    expect(older[0]).toMatchObject({ x: 400, alpha: 0.625 });
  });

  it('draws higher notes higher and keeps out-of-range notes on the edge', () => {
    const [low, high, below] = rollBars(
      [
        { note: 30, name: 'F#1', at: 0, durationMs: 100 },
        { note: 90, name: 'F#6', at: 0, durationMs: 100 },
        { note: 10, name: 'A#-1', at: 0, durationMs: 100 },
      ],
      0,
      area,
    );
    expect(high!.y).toBe(0);
    expect(low!.y).toBe(area.height - low!.h);
    expect(below!.y).toBe(low!.y);
  });

  it('leaves out notes older than the window', () => {
    expect(rollBars([{ note: 60, name: 'C4', at: 0, durationMs: 100 }], 8_000, area)).toEqual([]);
  });
});

describe('play pad keyboard', () => {
  it('has a key for every value 30–90 with its note name', () => {
    const { keys, width } = keyboardLayout();
    expect(keys).toHaveLength(61);
    expect(keys.find((k) => k.value === 62)).toMatchObject({ name: 'D4', black: false });
    expect(keys.find((k) => k.value === 61)).toMatchObject({ name: 'C#4', black: true });
    expect(keys.filter((k) => !k.black)).toHaveLength(35);
    expect(width).toBeCloseTo(35.6);
  });

  it('starts on a whole black key (30 is F#1) and centres black keys between their whites', () => {
    const { keys } = keyboardLayout();
    expect(keys[0]).toMatchObject({ value: 30, black: true, left: 0 });
    const g1 = keys.find((k) => k.value === 31)!;
    const gSharp = keys.find((k) => k.value === 32)!;
    expect(gSharp.left).toBeCloseTo(g1.left + 1 - 0.3);
  });

  it('clamps and rounds slider values to 30–90', () => {
    expect([padValue(12), padValue(61.6), padValue(200)]).toEqual([30, 62, 90]);
  });
});

describe('reconnecting', () => {
  it('doubles the wait after each failed attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => reconnectDelayMs(a))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('spreads clients with jitter, never beyond the un-jittered wait', () => {
    expect(reconnectDelayMs(3, defaultBackoff, 0.5)).toBe(1800);
    expect(reconnectDelayMs(3, defaultBackoff, 0.999)).toBeGreaterThanOrEqual(1600);
  });

  it('says the connection state in words', () => {
    expect(describeConnection({ state: 'connected', url: 'ws://h:9001' })).toBe('Connected to ws://h:9001');
    expect(
      describeConnection({
        state: 'reconnecting',
        url: 'ws://h:9001',
        attempt: 3,
        inMs: 2000,
        reason: 'connack timeout',
      }),
    ).toBe('Disconnected (connack timeout): retry 3 in 2.0 s');
  });
});

describe('key figures', () => {
  it('shows counters and latency percentiles, not the service name or time', () => {
    const figures = keyFigures({
      service: 'mapper',
      at: 5,
      received: 12,
      notes: 11,
      rejected: 1,
      latencyMs: { p50: 0.5432, p99: 14.25, max: 20, samples: 11 },
    });
    expect(figures).toEqual([
      { label: 'received', value: '12' },
      { label: 'notes', value: '11' },
      { label: 'rejected', value: '1' },
      { label: 'latencyMs p50', value: '0.54' },
      { label: 'latencyMs p99', value: '14.3' },
    ]);
  });
});

describe('voices', () => {
  it('gives channel 10 drums and other instruments a voice by General MIDI family', () => {
    expect(voicePlanFor({ channel: 10, program: 0 })).toEqual({ kind: 'drums' });
    const piano = voicePlanFor({ channel: 1, program: 0 });
    const strings = voicePlanFor({ channel: 3, program: 48 });
    expect(piano).toMatchObject({ kind: 'melodic', oscillator: 'triangle' });
    expect(strings).toMatchObject({ kind: 'melodic', oscillator: 'fatsawtooth' });
    expect(voicePlanFor({ channel: 1, program: 127 }).kind).toBe('melodic');
  });

  it('maps General MIDI percussion notes onto kick, snare, hat, tom and cymbal sounds', () => {
    expect([36, 38, 39, 42, 45, 49].map(drumSound)).toEqual(['kick', 'snare', 'clap', 'hat', 'tom', 'cymbal']);
    for (let v = 30; v <= 90; v++) expect(['kick', 'snare', 'clap', 'hat', 'tom', 'cymbal']).toContain(drumSound(v));
  });
});

describe('the room-full line', () => {
  const broker = (shedPercent: number) => ({ service: 'broker', at: 0, room: { budget: 300, shedPercent } });

  it('says how much the room drops while it is over budget, and nothing otherwise', () => {
    expect(roomFullText(broker(87.6))).toBe('the room is full: 88 % of values dropped');
    expect(roomFullText(broker(0.4))).toBe('the room is full: <1 % of values dropped');
    expect(roomFullText(broker(0))).toBe('');
    expect(roomFullText(undefined)).toBe('');
    expect(roomFullText({ service: 'broker', at: 0 })).toBe('');
  });
});
