import {
  INSTRUMENT_VALUE_MAX as MAX_VALUE,
  INSTRUMENT_VALUE_MIN as MIN_VALUE,
} from '../../shared/contract/contract.js';
export const MAX_PAYLOAD_BYTES = 16;

/** Why a payload is not a value, as a stable code for counting. */
export type ValueProblem =
  'empty' | 'too-long' | 'not-utf8' | 'whitespace-only' | 'control-characters' | 'not-a-number' | 'out-of-range';

export type ParsedValue = { ok: true; value: number } | { ok: false; reason: string; code: ValueProblem };

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
// C0 controls and DEL; surrounding whitespace (a trailing newline from a shell) is trimmed first.
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
const CONTROL = /[\u0000-\u001f\u007f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A payload of `openwest/instruments/N` → an integer 30–90, or the reason it is not one.
 * Strict on purpose: only a plain decimal number, so `0x3e`, `62abc`, `NaN` and `1e2` are refused
 * with a reason instead of guessed at.
 */
export function parseValue(payload: Buffer): ParsedValue {
  const value = readPlainInteger(payload);
  if (value >= MIN_VALUE && value <= MAX_VALUE) return VALID[value - MIN_VALUE]!;
  return parseValueText(payload);
}

// One frozen result per valid value: the common case allocates nothing per message.
const VALID: readonly ParsedValue[] = Array.from({ length: MAX_VALUE - MIN_VALUE + 1 }, (_, i) =>
  Object.freeze({ ok: true as const, value: MIN_VALUE + i }),
);

/**
 * The common case without decoding a string: ASCII whitespace, an optional sign and digits
 * (`62`, `62\n`). Anything else (a fraction, non-ASCII, garbage) gives NaN, and `parseValueText`
 * decides. `parseValueText` agrees with every number this returns (a property test checks it).
 */
export function readPlainInteger(payload: Buffer): number {
  const length = payload.length;
  if (length === 0 || length > MAX_PAYLOAD_BYTES) return Number.NaN;
  let start = 0;
  let end = length;
  while (start < end && isAsciiSpace(payload[start]!)) start++;
  while (end > start && isAsciiSpace(payload[end - 1]!)) end--;
  let sign = 1;
  const first = payload[start];
  if (first === 0x2b /* + */ || first === 0x2d /* - */) {
    if (first === 0x2d) sign = -1;
    start++;
  }
  if (start === end) return Number.NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = payload[i]! - 0x30;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return sign * value;
}

// The whitespace String.prototype.trim removes, restricted to ASCII: tab, LF, VT, FF, CR, space.
const isAsciiSpace = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/** The complete rules, on the decoded text: used when the fast path gives up, and for reasons. */
export function parseValueText(payload: Buffer): ParsedValue {
  if (payload.length === 0)
    return { ok: false, code: 'empty', reason: `empty payload: send a number from ${MIN_VALUE} to ${MAX_VALUE}` };
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return {
      ok: false,
      code: 'too-long',
      reason: `payload too long: ${payload.length} bytes (at most ${MAX_PAYLOAD_BYTES})`,
    };
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { ok: false, code: 'not-utf8', reason: 'payload is not valid UTF-8' };
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    return {
      ok: false,
      code: 'whitespace-only',
      reason: `payload is only whitespace: send a number from ${MIN_VALUE} to ${MAX_VALUE}`,
    };
  }
  if (CONTROL.test(trimmed))
    return { ok: false, code: 'control-characters', reason: 'payload contains control characters' };
  if (!DECIMAL.test(trimmed)) {
    return {
      ok: false,
      code: 'not-a-number',
      reason: `not a number: ${JSON.stringify(trimmed)} (send a plain decimal like 62)`,
    };
  }
  const value = Math.round(Number(trimmed));
  if (value < MIN_VALUE || value > MAX_VALUE) {
    return {
      ok: false,
      code: 'out-of-range',
      reason: `out of range: ${trimmed} (values run from ${MIN_VALUE} to ${MAX_VALUE})`,
    };
  }
  return { ok: true, value };
}
