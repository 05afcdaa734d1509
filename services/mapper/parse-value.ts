export const MIN_VALUE = 30;
export const MAX_VALUE = 90;
export const MAX_PAYLOAD_BYTES = 16;

export type ParsedValue = { ok: true; value: number } | { ok: false; reason: string };

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
// C0 controls and DEL; surrounding whitespace (a trailing newline from a shell) is trimmed first.
const CONTROL = /[\u0000-\u001f\u007f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A payload of `openwest/instruments/N` → an integer 30–90, or the reason it is not one.
 * Strict on purpose: only a plain decimal number, so `0x3e`, `62abc`, `NaN` and `1e2` are refused
 * with a reason instead of guessed at.
 */
export function parseValue(payload: Buffer): ParsedValue {
  const plain = plainDigits(payload);
  if (plain !== undefined) return inRange(plain, String(plain));
  if (payload.length === 0) return { ok: false, reason: 'empty payload: send a number from 30 to 90' };
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return { ok: false, reason: `payload too long: ${payload.length} bytes (at most ${MAX_PAYLOAD_BYTES})` };
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { ok: false, reason: 'payload is not valid UTF-8' };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'payload is only whitespace: send a number from 30 to 90' };
  if (CONTROL.test(trimmed)) return { ok: false, reason: 'payload contains control characters' };
  if (!DECIMAL.test(trimmed)) {
    return { ok: false, reason: `not a number: ${JSON.stringify(trimmed)} (send a plain decimal like 62)` };
  }
  return inRange(Math.round(Number(trimmed)), trimmed);
}

function inRange(value: number, given: string): ParsedValue {
  if (value < MIN_VALUE || value > MAX_VALUE) {
    return { ok: false, reason: `out of range: ${given} (values run from ${MIN_VALUE} to ${MAX_VALUE})` };
  }
  return { ok: true, value };
}

/** The usual payload, 1–3 ASCII digits without a leading zero, read without decoding text. */
function plainDigits(payload: Buffer): number | undefined {
  if (payload.length === 0 || payload.length > 3 || payload[0] === 48) return undefined;
  let value = 0;
  for (const byte of payload) {
    if (byte < 48 || byte > 57) return undefined;
    value = value * 10 + (byte - 48);
  }
  return value;
}
