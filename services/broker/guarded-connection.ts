import { Duplex } from 'node:stream';
import type { PacketGate } from './packet-gate.js';
import type { UnsentBudget } from './unsent-budget.js';

/** How much a connection may hold unsent without aedes waiting for it (an audience client's). */
export interface OutgoingBound {
  /** In bytes; undefined (a service, or before the role is known): aedes waits for the socket to drain. */
  maxBuffered(): number | undefined;
  /** Told once, just before the connection is closed for holding too much, or for too long (why). */
  exceeded(reason: string): void;
  /** The broker's total of unsent audience bytes and its time limit, shared by every connection. */
  budget?: UnsentBudget<GuardedConnection>;
}

const UNBOUNDED: OutgoingBound = { maxBuffered: () => undefined, exceeded: () => {} };

/**
 * A connection as aedes sees it: the client's bytes pass through a PacketGate on their way in
 * (shed packets cut out, marked ones reported); writes go out corked for the rest of the tick. A
 * packet the gate refuses destroys the connection.
 *
 * Under a bound, a write is done for aedes as soon as it is handed to the socket: aedes waits for
 * a slow socket before it reads the publisher's next packet, so one phone that stops reading
 * would hold up every subscriber of its topics (up to aedes' drain timeout, 10 s). The socket's
 * unsent bytes are held to the bound instead, and a write that would pass it closes the
 * connection: a frozen client costs at most the bound, and nobody else waits. With a budget, they
 * also count towards the broker's total (a write that would pass it closes whoever holds the most,
 * this connection or another), and a connection whose socket has not been empty for the budget's
 * drain timeout is closed (at its next write, or by `closeStuck` on the broker's timer).
 */
export class GuardedConnection extends Duplex {
  constructor(
    private readonly inner: Duplex,
    gate: PacketGate,
    readonly remoteAddress: string | undefined,
    /** A marked PUBLISH's message id, told before aedes can read the packet (hooks: refuse it then). */
    onMarked: (messageId: number) => void = () => {},
    private readonly outgoing: OutgoingBound = UNBOUNDED,
  ) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      const { keep, marked, close } = gate.feed(chunk);
      if (close) {
        this.destroy(new Error(close));
        return;
      }
      for (const id of marked) onMarked(id);
      let more = true;
      for (const part of keep) more = this.push(part);
      if (!more) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  /** Bytes handed to the socket and not yet sent (for a WebSocket, not yet given to its TCP socket). */
  get unsent(): number {
    return this.inner.writableLength;
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.inner.destroyed) return callback();
    this.corkForThisTick();
    const max = this.outgoing.maxBuffered();
    if (max === undefined) {
      this.inner.write(chunk, encoding, callback);
      return;
    }
    if (this.fits(chunk.length, max)) {
      this.inner.write(chunk, encoding, this.recount);
      this.outgoing.budget?.set(this, this.inner.writableLength);
    }
    callback();
  }

  /**
   * Whether `bytes` more stay within the bound, the broker's total and its drain timeout; if not,
   * this connection (or, for the total, whoever holds the most) is closed, said once.
   */
  private fits(bytes: number, max: number): boolean {
    const { budget } = this.outgoing;
    if (budget?.stuck(this)) {
      this.cutOff(stuckReason(budget));
      return false;
    }
    const buffered = this.inner.writableLength + bytes;
    if (buffered > max) {
      this.cutOff(`not reading: over ${max} bytes waiting to be sent`);
      return false;
    }
    for (let biggest = budget?.over(this, buffered); biggest; biggest = budget!.over(this, buffered)) {
      biggest.cutOff(
        `not reading: holding the most of the broker's ${budget!.maxTotal} bytes waiting to be sent to the audience`,
      );
      if (biggest === this) return false;
    }
    return true;
  }

  /** Closes the connection for holding too much or for too long, once: its bytes are released. */
  cutOff(reason: string): void {
    if (!this.destroyed) {
      this.outgoing.exceeded(reason);
      this.destroy(new Error(reason));
    }
    this.outgoing.budget?.release(this); // _destroy did, unless a destroy was already under way
  }

  /** Re-reads the socket's unsent bytes when a write has left it (passed to every write: no closure each). */
  private readonly recount = (): void => {
    if (!this.destroyed && !this.inner.destroyed) this.outgoing.budget?.set(this, this.inner.writableLength);
  };

  // Everything written to this connection during one turn of the event loop leaves as one system
  // call: under a crowd, one turn handles many sockets' packets, and a subscriber (the mapper, a
  // watcher) gets many messages from it (bench scenario 4).
  private corked = false;
  private corkForThisTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.inner.cork();
    process.nextTick(() => {
      this.corked = false;
      this.inner.uncork();
    });
  }

  // What aedes writes while a write is in flight (a PUBACK and the next delivery, a burst to one
  // subscriber) leaves as one writev: fewer system calls per message (bench scenario 3).
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    if (this.inner.destroyed) return callback();
    this.corkForThisTick();
    const max = this.outgoing.maxBuffered();
    if (max === undefined) {
      for (let i = 0; i < chunks.length - 1; i++) this.inner.write(chunks[i]!.chunk);
      this.inner.write(chunks[chunks.length - 1]!.chunk, callback);
      return;
    }
    let bytes = 0;
    for (const { chunk } of chunks) bytes += chunk.length;
    if (this.fits(bytes, max)) {
      for (const { chunk } of chunks) this.inner.write(chunk, this.recount);
      this.outgoing.budget?.set(this, this.inner.writableLength);
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.outgoing.budget?.release(this);
    this.inner.destroy();
    callback(error);
  }
}

const stuckReason = (budget: UnsentBudget<GuardedConnection>) =>
  `not reading: bytes waiting to be sent for over ${budget.drainTimeoutMs} ms`;

/**
 * Closes every connection whose unsent bytes have outlived the drain timeout: one coarse timer for
 * the whole broker calls it, for a frozen client that nothing is written to any more (a quiet
 * room). Returns how many it closed.
 */
export function closeStuck(budget: UnsentBudget<GuardedConnection>): number {
  const stuck = budget.allStuck();
  for (const connection of stuck) connection.cutOff(stuckReason(budget));
  return stuck.length;
}
