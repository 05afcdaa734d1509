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
  const value = Math.round(Number(trimmed));
  if (value < MIN_VALUE || value > MAX_VALUE) {
    return { ok: false, reason: `out of range: ${trimmed} (values run from ${MIN_VALUE} to ${MAX_VALUE})` };
  }
  return { ok: true, value };
}
