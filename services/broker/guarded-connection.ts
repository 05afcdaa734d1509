import { Duplex } from 'node:stream';
import type { PacketGate } from './packet-gate.js';

/**
 * A connection as aedes sees it: the client's bytes pass through a PacketGate on their way in
 * (shed packets cut out, marked ones reported); writes go out corked for the rest of the tick. A
 * packet the gate refuses destroys the connection.
 */
export class GuardedConnection extends Duplex {
  constructor(
    private readonly inner: Duplex,
    gate: PacketGate,
    readonly remoteAddress: string | undefined,
    /** A marked PUBLISH's message id, told before aedes can read the packet (hooks: refuse it then). */
    onMarked: (messageId: number) => void = () => {},
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

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.inner.destroyed) return callback();
    this.corkForThisTick();
    this.inner.write(chunk, encoding, callback);
  }

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
    for (let i = 0; i < chunks.length - 1; i++) this.inner.write(chunks[i]!.chunk);
    this.inner.write(chunks[chunks.length - 1]!.chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner.destroy();
    callback(error);
  }
}
