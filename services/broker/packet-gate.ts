/** What the broker decides about a packet from its fixed header alone. */
export type PacketVerdict = 'pass' | 'shed' | { close: string };

export interface PacketHeader {
  /** MQTT packet type, 1–15 (3 is PUBLISH). */
  type: number;
  /** The low four bits of the first byte (for a PUBLISH: dup, QoS, retain). */
  flags: number;
  /** The whole packet, fixed header included. */
  bytes: number;
  /** The connection's first packet (its CONNECT). */
  first: boolean;
}

/** What to do with one chunk read from the client. */
export interface Gated {
  /** The bytes aedes may read, in order (the chunk itself when nothing was held back or shed). */
  keep: Uint8Array[];
  /** QoS 1 PUBLISH packets shed here: their message ids, each owed a PUBACK. */
  acks: number[];
  /** Why the connection must close now; nothing of the chunk is kept. */
  close?: string;
}

const NOT_YET = -1;

/**
 * The door in front of aedes. It reads only the MQTT fixed headers going by (type byte, then
 * the 1–4 byte "remaining length"), asks `judge` about each packet, and skips the bodies. A
 * packet can be let through, shed (cut out of the byte stream before aedes parses it: a value
 * over the room's budget costs the broker next to nothing; a QoS 1 one still gets its PUBACK),
 * or close the connection (too big, too many), all from its first bytes. aedes has no maximum
 * packet size, packet rate or shedding of its own.
 *
 * A header split across reads is held back until it is whole, so a shed packet never reaches
 * aedes in part.
 */
export class PacketGate {
  private state: 'type' | 'length' | 'body' = 'type';
  private header: PacketHeader = { type: 0, flags: 0, bytes: 0, first: true };
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;
  private first = true;
  /** Header bytes of earlier reads, held until the header is whole. */
  private held: Uint8Array[] = [];
  /** The packet going by is being shed; for QoS 1, its first body bytes up to the message id. */
  private shedding = false;
  private idBytes: number[] | undefined;

  constructor(private readonly judge: (header: PacketHeader) => PacketVerdict) {}

  feed(chunk: Uint8Array): Gated {
    const keep: Uint8Array[] = [];
    const acks: number[] = [];
    let runStart = this.shedding ? NOT_YET : 0;
    let headerStart = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const n = Math.min(this.remaining, chunk.length - i);
        if (this.shedding && this.idBytes) this.collectId(chunk, i, n);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) {
          this.state = 'type';
          if (this.shedding) {
            this.endShed(acks);
            runStart = i;
          }
        }
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        headerStart = i - 1;
        this.header = { type: byte >> 4, flags: byte & 0x0f, bytes: 0, first: this.first };
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return { keep: [], acks: [], close: 'malformed remaining length (more than 4 bytes)' };
        continue;
      }
      this.header.bytes = 1 + this.lengthBytes + this.length;
      this.first = false;
      const verdict = this.judge(this.header);
      if (typeof verdict === 'object') return { keep: [], acks: [], close: verdict.close };
      this.remaining = this.length;
      this.state = this.remaining > 0 ? 'body' : 'type';
      if (verdict === 'pass') {
        // A header begun in an earlier read goes out first: this read's run starts at 0 then.
        if (this.held.length > 0) keep.push(...this.held.splice(0));
        continue;
      }
      // Shed: cut the header (and, below, the body) out of what aedes reads.
      this.held = [];
      if (runStart !== NOT_YET && headerStart > runStart) keep.push(chunk.subarray(runStart, headerStart));
      runStart = NOT_YET;
      this.shedding = true;
      this.idBytes = (this.header.flags & 0x06) === 0x02 ? [] : undefined;
      if (this.remaining === 0) {
        this.state = 'type';
        this.endShed(acks);
        runStart = i;
      }
    }
    if (this.state === 'length') {
      // The read ended inside a header: hold its bytes back until the judge has seen it whole.
      if (runStart !== NOT_YET && headerStart > runStart) keep.push(chunk.subarray(runStart, headerStart));
      this.held.push(chunk.subarray(headerStart));
    } else if (runStart !== NOT_YET && runStart < chunk.length) {
      keep.push(runStart === 0 ? chunk : chunk.subarray(runStart));
    }
    return { keep, acks };
  }

  /** The topic's length (2 bytes), the topic, then the message id (2 bytes). */
  private collectId(chunk: Uint8Array, from: number, n: number): void {
    const id = this.idBytes!;
    for (let j = from; j < from + n; j++) {
      const topicLength = id.length >= 2 ? (id[0]! << 8) + id[1]! : Infinity;
      if (id.length >= 2 + topicLength + 2) return;
      id.push(chunk[j]!);
    }
  }

  private endShed(acks: number[]): void {
    const id = this.idBytes;
    if (id && id.length >= 4) {
      const topicLength = (id[0]! << 8) + id[1]!;
      if (id.length >= 2 + topicLength + 2) acks.push((id[2 + topicLength]! << 8) + id[3 + topicLength]!);
    }
    this.shedding = false;
    this.idBytes = undefined;
  }
}
