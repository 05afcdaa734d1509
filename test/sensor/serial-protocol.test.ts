import { describe, expect, it } from 'vitest';
import { LineSplitter, parseSerialLine } from '../../services/sensor/serial-protocol.js';
import { findArduino } from '../../services/sensor/sources/find-arduino.js';

describe('serial line protocol', () => {
  it.each([
    ['0:512', { kind: 'reading', reading: { knob: 0, raw: 512, rawMax: 1023 } }],
    ['5:1023\r', { kind: 'reading', reading: { knob: 5, raw: 1023, rawMax: 1023 } }],
    ['  3:0  ', { kind: 'reading', reading: { knob: 3, raw: 0, rawMax: 1023 } }],
    ['#openwest-knobs 1 knobs=6', { kind: 'hello', firmware: 'openwest-knobs', version: 1, knobs: 6 }],
    ['# a comment from some other sketch', { kind: 'line', text: '# a comment from some other sketch' }],
  ])('reads %j', (line, expected) => {
    expect(parseSerialLine(line)).toEqual(expected);
  });

  it.each([
    ['0:1024', 'raw 1024 out of range 0-1023'],
    ['16:10', 'knob 16 out of range 0-15'],
    ['0:abc', 'expected <knob>:<raw>, like 0:512'],
    ['0:-1', 'expected <knob>:<raw>, like 0:512'],
    ['0 512', 'expected <knob>:<raw>, like 0:512'],
    [':512', 'expected <knob>:<raw>, like 0:512'],
    ['0:51.2', 'expected <knob>:<raw>, like 0:512'],
    ['1'.repeat(70), 'line longer than 64 characters'],
  ])('refuses %j: %s', (line, reason) => {
    expect(parseSerialLine(line)).toMatchObject({ kind: 'malformed', reason });
  });

  it('ignores blank lines', () => {
    expect(parseSerialLine('\r')).toBeUndefined();
  });
});

describe('line splitter', () => {
  it('joins lines split across chunks and strips the carriage return', () => {
    const s = new LineSplitter();
    expect(s.push('0:5')).toEqual([]);
    expect(s.push('12\r\n1:3')).toEqual(['0:512']);
    expect(s.push('\n\n')).toEqual(['1:3', '']);
  });

  it('gives up a run without line ends as one over-long line instead of buffering it all', () => {
    const s = new LineSplitter();
    expect(s.push('x'.repeat(10_000))).toEqual([]);
    const [long, next] = s.push('\n0:1\n');
    expect(long!.length).toBeLessThan(70);
    expect(parseSerialLine(long!)).toMatchObject({ kind: 'malformed' });
    expect(next).toBe('0:1');
  });
});

describe('finding an Arduino among serial ports', () => {
  it('picks a genuine Arduino before a generic USB-serial chip, and nothing without a known vendor id', () => {
    const ports = [
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyUSB0', vendorId: '1a86' },
      { path: '/dev/ttyACM0', vendorId: '2341' },
    ];
    expect(findArduino(ports)?.path).toBe('/dev/ttyACM0');
    expect(findArduino(ports.slice(0, 2))?.path).toBe('/dev/ttyUSB0');
    expect(findArduino([{ path: '/dev/ttyS0' }, { path: '/dev/ttyUSB1', vendorId: '067b' }])).toBeUndefined();
  });

  it('finds boards on FTDI (Nano, older boards) and CP210x chips too, whatever the case of the id, after the more specific ones', () => {
    expect(findArduino([{ path: '/dev/ttyUSB3', vendorId: '0403' }])?.path).toBe('/dev/ttyUSB3');
    expect(findArduino([{ path: '/dev/ttyUSB4', vendorId: '10C4' }])?.path).toBe('/dev/ttyUSB4');
    const ports = [
      { path: '/dev/ttyUSB0', vendorId: '10c4' },
      { path: '/dev/ttyUSB1', vendorId: '0403' },
      { path: '/dev/ttyUSB2', vendorId: '1a86' },
    ];
    expect(findArduino(ports)?.path).toBe('/dev/ttyUSB2');
    expect(findArduino(ports.slice(0, 2))?.path).toBe('/dev/ttyUSB1');
  });
});
