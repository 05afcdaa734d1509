export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { firstMs: 500, maxMs: 10_000 };

/**
 * How long to wait before reconnect attempt `attempt` (1, 2, ...): doubling from `firstMs`, never
 * more than `maxMs`. `jitter` in [0, 1) spreads a roomful of phones so they do not all return at
 * once after the broker restarts.
 */
export function reconnectDelayMs(attempt: number, backoff: Backoff = defaultBackoff, jitter = 0): number {
  const base = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - 0.2 * jitter));
}

export type ConnectionState =
  | { state: 'loading' }
  | { state: 'connecting'; url: string }
  | { state: 'connected'; url: string }
  | { state: 'reconnecting'; url: string; attempt: number; inMs: number; reason?: string }
  | { state: 'failed'; reason: string };

/** The connection state in words, for the status line (and screen readers). */
export function describeConnection(c: ConnectionState): string {
  switch (c.state) {
    case 'loading':
      return 'Loading…';
    case 'connecting':
      return `Connecting to ${c.url}…`;
    case 'connected':
      return `Connected to ${c.url}`;
    case 'reconnecting':
      return `Disconnected${c.reason ? ` (${c.reason})` : ''}: retry ${c.attempt} in ${(c.inMs / 1000).toFixed(1)} s`;
    case 'failed':
      return `Cannot connect: ${c.reason}`;
  }
}
