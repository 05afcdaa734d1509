import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { serialSource } from '../../services/sensor/sources/serial-source.js';

describe('serial source: an attempt that throws', () => {
  it('becomes a waiting event and a retry, not an unhandled rejection', async () => {
    // SerialPort's constructor throws on a baud rate that is not a number (config refuses one
    // first; this stands for anything an attempt throws). The path is never opened.
    const source = serialSource({
      path: 'test-no-such-port',
      baudRate: 'fast' as unknown as number,
      retryMs: 1,
      scanMs: 1,
    });
    const events = await firstValueFrom(source.pipe(take(2), toArray()));
    expect(events.map((e) => e.kind)).toEqual(['waiting', 'waiting']);
    const [first] = events;
    expect(first?.kind === 'waiting' && first.message).toMatch(
      /^cannot use the serial port \(.*baudRate.*\); retrying/,
    );
  });
});
