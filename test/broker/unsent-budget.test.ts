import { describe, expect, it } from 'vitest';
import { frozenSocket } from '../helpers/frozen-socket.js';
import { closeStuck, GuardedConnection } from '../../services/broker/guarded-connection.js';
import { PacketGate } from '../../services/broker/packet-gate.js';
import { UnsentBudget } from '../../services/broker/unsent-budget.js';

/** Virtual milliseconds. */
const clock = () => {
  const time = { now: 0 };
  return Object.assign(time, { read: () => time.now });
};

describe('UnsentBudget: the audience bytes waiting to be sent, all together', () => {
  it('adds up what each holder holds as last read, and frees a holder at 0 or when released', () => {
    const budget = new UnsentBudget<string>(1_000, 10_000, () => 0);
    budget.set('a', 300);
    budget.set('b', 200);
    budget.set('a', 100); // a's socket sent 200
    expect(budget.total).toBe(300);
    expect(budget.held('a')).toBe(100);
    expect(budget.holders).toBe(2);
    budget.set('a', 0);
    budget.release('b');
    budget.release('never-held');
    expect(budget.total).toBe(0);
    expect(budget.holders).toBe(0);
    expect(budget.peak).toBe(500);
  });

  it('lets a write through while the total stays within the budget, counting the writer as it will be', () => {
    const budget = new UnsentBudget<string>(1_000, 10_000, () => 0);
    budget.set('a', 400);
    budget.set('b', 300);
    expect(budget.over('b', 600)).toBeUndefined(); // b will hold 600 (its 300 included): 1,000 in all
    expect(budget.over('c', 300)).toBeUndefined();
  });

  it('over the budget names the holder with the most, the writer counted with what it is about to get', () => {
    const budget = new UnsentBudget<string>(1_000, 10_000, () => 0);
    budget.set('frozen', 700);
    budget.set('slow', 200);
    expect(budget.over('reader', 101)).toBe('frozen'); // the reader's 101 bytes fit once frozen is gone
    budget.release('frozen');
    expect(budget.over('reader', 101)).toBeUndefined();
    // A writer that would hold the most is named itself (so is one tied with the most).
    budget.set('frozen', 700);
    expect(budget.over('slow', 750)).toBe('slow');
    expect(budget.over('slow', 700)).toBe('slow');
    // One write larger than the whole budget: its writer.
    expect(budget.over('new', 2_000)).toBe('new');
  });

  it('asked again after each close, frees as few holders as needed, biggest first', () => {
    const budget = new UnsentBudget<string>(600, 10_000, () => 0);
    for (const [holder, bytes] of [
      ['a', 100],
      ['b', 400],
      ['c', 300],
      ['d', 150],
    ] as const)
      budget.set(holder, bytes);
    const closed: string[] = [];
    for (let victim = budget.over('w', 250); victim && closed.length < 10; victim = budget.over('w', 250)) {
      closed.push(victim);
      budget.release(victim);
    }
    expect(closed).toEqual(['b', 'c']);
    expect(budget.total + 250).toBeLessThanOrEqual(600);
  });

  it('a holder is stuck once it has held bytes, never none, for longer than the drain timeout', () => {
    const time = clock();
    const budget = new UnsentBudget<string>(1_000_000, 10_000, time.read);
    budget.set('frozen', 100);
    budget.set('reader', 100);
    time.now = 6_000;
    budget.set('frozen', 5_000); // more, never empty: its clock keeps running
    budget.set('reader', 0); // empty: its clock starts again at its next bytes
    time.now = 7_000;
    budget.set('reader', 100);
    time.now = 10_000;
    expect(budget.stuck('frozen')).toBe(false); // exactly the timeout: not over it
    expect(budget.allStuck()).toEqual([]);
    time.now = 10_001;
    expect(budget.stuck('frozen')).toBe(true);
    expect(budget.stuck('reader')).toBe(false);
    expect(budget.stuck('never-held')).toBe(false);
    expect(budget.allStuck()).toEqual(['frozen']);
    budget.release('frozen');
    expect(budget.allStuck()).toEqual([]);
    time.now = 17_001;
    expect(budget.allStuck()).toEqual(['reader']);
  });
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

function connections(budget: UnsentBudget<GuardedConnection>, maxBuffered = 1_000_000) {
  const reasons = new Map<GuardedConnection, string>();
  const open = () => {
    const inner = frozenSocket();
    const outgoing = {
      maxBuffered: () => maxBuffered,
      exceeded: (reason: string) => reasons.set(connection, reason),
      budget,
    };
    const connection: GuardedConnection = new GuardedConnection(
      inner,
      new PacketGate(() => 'pass'),
      '127.0.0.1',
      () => {},
      outgoing,
    );
    connection.on('error', () => {});
    return { connection, inner };
  };
  return { open, reasons };
}

describe('GuardedConnection with the broker budget', () => {
  it('counts what each connection holds unsent, and forgets it once the socket has sent it', async () => {
    const budget = new UnsentBudget<GuardedConnection>(10_000, 10_000, () => 0);
    const { open } = connections(budget);
    const a = open();
    a.connection.write(Buffer.alloc(300));
    a.connection.write(Buffer.alloc(200));
    expect(budget.held(a.connection)).toBe(500);
    a.inner.frozen = false;
    a.connection.write(Buffer.alloc(100)); // the socket reads again: every write completes
    await tick();
    await tick();
    expect(a.inner.writableLength).toBe(0);
    expect(budget.total).toBe(0);
  });

  it('a write that would pass the total closes the connection holding the most, not the writer', () => {
    const budget = new UnsentBudget<GuardedConnection>(1_000, 10_000, () => 0);
    const { open, reasons } = connections(budget);
    const frozen = open();
    const slow = open();
    const writer = open();
    frozen.connection.write(Buffer.alloc(600));
    slow.connection.write(Buffer.alloc(250));
    writer.connection.write(Buffer.alloc(100));
    expect(budget.total).toBe(950);
    writer.connection.write(Buffer.alloc(100));
    expect(frozen.connection.destroyed).toBe(true);
    expect(frozen.inner.destroyed).toBe(true);
    expect(reasons.get(frozen.connection)).toMatch(/^not reading: holding the most of the broker's 1000 bytes/);
    expect(slow.connection.destroyed).toBe(false);
    expect(writer.connection.destroyed).toBe(false);
    expect(budget.held(writer.connection)).toBe(200); // its write went out
    expect(budget.total).toBe(450);
  });

  it('a writer that would itself hold the most is closed, and its write dropped', () => {
    const budget = new UnsentBudget<GuardedConnection>(1_000, 10_000, () => 0);
    const { open, reasons } = connections(budget);
    const other = open();
    const writer = open();
    other.connection.write(Buffer.alloc(300));
    writer.connection.write(Buffer.alloc(600));
    writer.connection.write(Buffer.alloc(200));
    expect(writer.connection.destroyed).toBe(true);
    expect(reasons.size).toBe(1);
    expect(other.connection.destroyed).toBe(false);
    expect(budget.total).toBe(300);
  });

  it('a destroyed connection (its client gone) releases its share', () => {
    const budget = new UnsentBudget<GuardedConnection>(1_000, 10_000, () => 0);
    const { open, reasons } = connections(budget);
    const gone = open();
    gone.connection.write(Buffer.alloc(700));
    gone.inner.destroy(); // the client closed its socket
    gone.connection.destroy();
    expect(budget.total).toBe(0);
    expect(reasons.size).toBe(0);
  });

  it('a connection whose socket has not been empty for the drain timeout is closed at its next write, or by the timer', () => {
    const time = clock();
    const budget = new UnsentBudget<GuardedConnection>(1_000_000, 10_000, time.read);
    const { open, reasons } = connections(budget);
    const pinging = open(); // written to now and then (PINGRESPs), never reads
    const quiet = open(); // never written to again
    pinging.connection.write(Buffer.alloc(100));
    quiet.connection.write(Buffer.alloc(100));
    time.now = 10_000;
    pinging.connection.write(Buffer.alloc(2)); // within the timeout: kept
    expect(pinging.connection.destroyed).toBe(false);
    expect(closeStuck(budget)).toBe(0);
    time.now = 10_001;
    pinging.connection.write(Buffer.alloc(2));
    expect(pinging.connection.destroyed).toBe(true);
    expect(reasons.get(pinging.connection)).toBe('not reading: bytes waiting to be sent for over 10000 ms');
    expect(quiet.connection.destroyed).toBe(false);
    expect(closeStuck(budget)).toBe(1);
    expect(quiet.connection.destroyed).toBe(true);
    expect(reasons.size).toBe(2);
    expect(budget.total).toBe(0);
  });
});
