import { describe, expect, it } from 'vitest';
import { parseValue } from '../../services/mapper/parse-value.js';

describe('plain digit payloads', () => {
  it('accept exactly 30 to 90 and explain every other number from 0 to 999', () => {
    for (let n = 0; n <= 999; n++) {
      const result = parseValue(Buffer.from(String(n)));
      if (n >= 30 && n <= 90) expect(result).toEqual({ ok: true, value: n });
      else
        expect(result).toEqual({
          ok: false,
          code: 'out-of-range',
          reason: `out of range: ${n} (values run from 30 to 90)`,
        });
    }
  });

  it('read leading zeros the way the text parser does', () => {
    expect(parseValue(Buffer.from('062'))).toEqual({ ok: true, value: 62 });
    expect(parseValue(Buffer.from('005'))).toEqual({
      ok: false,
      code: 'out-of-range',
      reason: 'out of range: 005 (values run from 30 to 90)',
    });
  });
});
