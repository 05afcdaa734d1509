import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseValue, parseValueText, readPlainInteger } from '../../services/mapper/parse-value.js';
import {
  INSTRUMENT_VALUE_MAX as MAX_VALUE,
  INSTRUMENT_VALUE_MIN as MIN_VALUE,
} from '../../shared/contract/contract.js';

const parse = (text: string | Buffer) => parseValue(typeof text === 'string' ? Buffer.from(text) : text);

describe('parseValue', () => {
  it.each([
    ['62', 62],
    ['30', 30],
    ['90', 90],
    ['62.4', 62],
    ['62.5', 63],
    ['29.5', 30],
    ['+45', 45],
    [' 62 ', 62],
    ['62\n', 62],
  ] as const)('reads %j as %i', (text, value) => {
    expect(parse(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /empty payload/],
    ['   ', /only whitespace/],
    ['abc', /not a number: "abc"/],
    ['NaN', /not a number/],
    ['Infinity', /not a number/],
    ['0x3e', /not a number/],
    ['62abc', /not a number/],
    ['1e2', /not a number/],
    ['6 2', /not a number/],
    ['29', /out of range/],
    ['91', /out of range/],
    ['90.5', /out of range/],
    ['-62', /out of range/],
    ['12345678901234567', /too long: 17 bytes/],
    ['6\u00002', /control characters/],
  ])('refuses %j: %s', (text, reason) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('refuses invalid UTF-8', () => {
    const result = parse(Buffer.from([0x36, 0xff, 0x32]));
    expect(result).toEqual({ ok: false, code: 'not-utf8', reason: 'payload is not valid UTF-8' });
  });
});

describe('the byte-level fast path', () => {
  it('agrees with the full text rules on every payload it reads (fast-check)', () => {
    const payloads = fc.oneof(
      fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
      fc
        .tuple(
          fc.constantFrom('', ' ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0'),
          fc.constantFrom('', '+', '-'),
          fc.nat({ max: 200 }),
          fc.constantFrom('', ' ', '\n', 'x', '.5', '.'),
        )
        .map(([space, sign, n, tail]) => Buffer.from(`${space}${sign}${n}${tail}${space}`)),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        const fast = readPlainInteger(payload);
        const full = parseValueText(payload);
        if (fast >= MIN_VALUE && fast <= MAX_VALUE) expect(full).toEqual({ ok: true, value: fast });
        expect(parseValue(payload)).toEqual(full);
      }),
      { numRuns: 5_000 },
    );
  });
});
