/**
 * What the broker decides about a packet from its fixed header alone: let it through, cut it
 * out of the stream (a QoS 0 PUBLISH only: nothing is owed for it), let it through but report its
 * message id once read (`mark`: a QoS 1 PUBLISH to be refused in aedes, so that its PUBACK keeps
 * its place among the others), or close the connection.
 */
export type PacketVerdict = 'pass' | 'shed' | 'mark' | { close: string };

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
  /** Message ids of the PUBLISH packets marked in this chunk, in order, each before aedes can read its packet. */
  marked: readonly number[];
  /** Why the connection must close now; nothing of the chunk is kept. */
  close?: string;
}

const NOT_YET = -1;
const NONE: number[] = Object.freeze([]) as unknown as number[];

/**
 * The door in front of aedes. It reads only the MQTT fixed headers going by (type byte, then
 * the 1–4 byte "remaining length"), asks `judge` about each packet, and skips the bodies. A
 * packet can be let through, shed (cut out of the byte stream before aedes parses it: a value
 * over the room's budget costs the broker next to nothing; a QoS 1 one still gets its PUBACK),
 * or close the connection (too big, too many), all from its first bytes. aedes has no maximum
 * packet size, packet rate or shedding of its own.
 *
 * A header split across reads is held back until it is whole, so a shed packet never reaches
 * aedes in part; a marked packet's id is reported with the read that completes it, before aedes
 * sees that read.
 */
export class PacketGate {
  private state: 'type' | 'length' | 'body' = 'type';
  private readonly header: PacketHeader = { type: 0, flags: 0, bytes: 0, first: true };
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;
  private first = true;
  /** Header bytes of earlier reads, held until the header is whole. */
  private held: Uint8Array[] = [];
  /** The packet going by is being shed (cut out). */
  private shedding = false;
  /** The packet going by is marked: its first body bytes, up to the message id. */
  private idBytes: number[] | undefined;

  constructor(private readonly judge: (header: PacketHeader) => PacketVerdict) {}

  feed(chunk: Uint8Array): Gated {
    const keep: Uint8Array[] = [];
    // Allocated only when a packet is marked: most reads mark none.
    let marked: number[] = NONE;
    let runStart = this.shedding ? NOT_YET : 0;
    let headerStart = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const n = Math.min(this.remaining, chunk.length - i);
        if (this.idBytes) this.collectId(chunk, i, n);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) {
          this.state = 'type';
          const id = this.endMark();
          if (id !== undefined) marked = marked === NONE ? [id] : (marked.push(id), marked);
          if (this.shedding) {
            this.shedding = false;
            runStart = i;
          }
        }
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        headerStart = i - 1;
        // One header object, filled in again for every packet: this runs for every packet of the
        // room, and the judge reads it at once and keeps nothing.
        this.header.type = byte >> 4;
        this.header.flags = byte & 0x0f;
        this.header.bytes = 0;
        this.header.first = this.first;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if (byte & 0x80) {
        if (this.lengthBytes === 4)
          return { keep: [], marked: [], close: 'malformed remaining length (more than 4 bytes)' };
        continue;
      }
      this.header.bytes = 1 + this.lengthBytes + this.length;
      this.first = false;
      const verdict = this.judge(this.header);
      if (typeof verdict === 'object') return { keep: [], marked: [], close: verdict.close };
      this.remaining = this.length;
      this.state = this.remaining > 0 ? 'body' : 'type';
      if (verdict === 'mark') this.idBytes = [];
      if (verdict === 'pass' || verdict === 'mark') {
        // A header begun in an earlier read goes out first: this read's run starts at 0 then.
        if (this.held.length > 0) keep.push(...this.held.splice(0));
        continue;
      }
      // Shed: cut the header (and, below, the body) out of what aedes reads.
      this.held = [];
      if (runStart !== NOT_YET && headerStart > runStart) keep.push(chunk.subarray(runStart, headerStart));
      runStart = NOT_YET;
      this.shedding = true;
      if (this.remaining === 0) {
        this.state = 'type';
        this.shedding = false;
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
    return { keep, marked };
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

  /** The marked packet's message id, once its body has gone by (undefined: not marked). */
  private endMark(): number | undefined {
    const id = this.idBytes;
    this.idBytes = undefined;
    if (!id || id.length < 4) return undefined;
    const topicLength = (id[0]! << 8) + id[1]!;
    return id.length >= 2 + topicLength + 2 ? (id[2 + topicLength]! << 8) + id[3 + topicLength]! : undefined;
  }
}
