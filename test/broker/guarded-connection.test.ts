import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { frozenSocket } from '../helpers/frozen-socket.js';
import { GuardedConnection } from '../../services/broker/guarded-connection.js';
import { PacketGate } from '../../services/broker/packet-gate.js';

const guard = (inner: Duplex, outgoing?: ConstructorParameters<typeof GuardedConnection>[4]) => {
  const connection = new GuardedConnection(inner, new PacketGate(() => 'pass'), '127.0.0.1', () => {}, outgoing);
  connection.on('error', () => {});
  return connection;
};

describe('GuardedConnection: what a connection may hold unsent', () => {
  it('under a bound, never makes its writer wait, and closes at the write that would pass the bound, once', () => {
    const inner = frozenSocket();
    let exceeded = 0;
    const connection = guard(inner, { maxBuffered: () => 450, exceeded: () => (exceeded += 1) });
    const accepted: boolean[] = [];
    let mostUnsent = 0;
    for (let i = 0; i < 10 && !connection.destroyed; i++) {
      accepted.push(connection.write(Buffer.alloc(100)));
      mostUnsent = Math.max(mostUnsent, connection.unsent);
    }
    // aedes never waits for drain: four fit, the fifth would pass 450 and closes the connection
    expect(accepted).toEqual([true, true, true, true, false]);
    expect(mostUnsent).toBe(400);
    expect(exceeded).toBe(1);
    expect(connection.destroyed).toBe(true);
    expect(inner.destroyed).toBe(true);
  });

  it('without a bound (a service, or before the role is known), holds writes back for its writer to wait', () => {
    const inner = frozenSocket();
    const connection = guard(inner);
    const accepted: boolean[] = [];
    for (let i = 0; i < 4; i++) accepted.push(connection.write(Buffer.alloc(8 * 1024)));
    expect(accepted).toEqual([true, false, false, false]); // past the stream's 16 KiB mark: wait for drain
    expect(connection.writableNeedDrain).toBe(true);
    expect(connection.destroyed).toBe(false);
  });

  it('a bound known only after the CONNACK applies from then on', async () => {
    const inner = frozenSocket();
    const role = { bound: undefined as number | undefined };
    const connection = guard(inner, { maxBuffered: () => role.bound, exceeded: () => {} });
    inner.frozen = false;
    connection.write(Buffer.alloc(4)); // the CONNACK, role not yet known: normal backpressure
    await new Promise((resolve) => setImmediate(resolve)); // writes leave corked at the end of the tick
    expect(connection.writableLength).toBe(0);
    role.bound = 100;
    inner.frozen = true;
    expect(connection.write(Buffer.alloc(100))).toBe(true); // up to the bound: fits
    expect(connection.destroyed).toBe(false);
    connection.write(Buffer.alloc(1));
    expect(connection.destroyed).toBe(true);
  });
});
