import { Duplex } from 'node:stream';

/**
 * Reads only the MQTT fixed headers going by (type byte, then the 1–4 byte "remaining length")
 * and skips the bodies, so a packet announced as too big (or one too many of its kind) is refused
 * from its first bytes, before aedes' parser would buffer it. aedes has no maximum packet size
 * and no packet rate of its own.
 */
export class PacketSizeGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private type = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;

  private first = true;

  /**
   * `judge` is asked at each packet header (its type, 1–15, its whole size in bytes, and whether
   * it is the connection's first packet): a reason closes the connection. Its answer can change
   * once the client's role is known.
   */
  constructor(private readonly judge: (type: number, packetBytes: number, first: boolean) => string | undefined) {}

  /** Feeds bytes; returns why the stream must be closed, or undefined. */
  check(chunk: Uint8Array): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const skip = Math.min(this.remaining, chunk.length - i);
        this.remaining -= skip;
        i += skip;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.type = byte >> 4;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return 'malformed remaining length (more than 4 bytes)';
        continue;
      }
      const packetBytes = 1 + this.lengthBytes + this.length;
      const problem = this.judge(this.type, packetBytes, this.first);
      this.first = false;
      if (problem) return problem;
      this.remaining = this.length;
      this.state = this.remaining > 0 ? 'body' : 'type';
    }
    return undefined;
  }
}

/**
 * A connection as aedes sees it: the client's bytes pass through a PacketSizeGuard on their way
 * in; writes go straight out. A refused packet destroys the connection with the reason.
 */
export class GuardedConnection extends Duplex {
  constructor(
    private readonly inner: Duplex,
    guard: PacketSizeGuard,
    readonly remoteAddress: string | undefined,
  ) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      const problem = guard.check(chunk);
      if (problem) {
        this.destroy(new Error(problem));
        return;
      }
      if (!this.push(chunk)) inner.pause();
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
  override _writev(chunks: { chunk: Buffer; encoding: BufferEncoding }[], callback: (error?: Error | null) => void): void {
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
