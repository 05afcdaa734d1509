import fc from 'fast-check';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketGate, type PacketHeader, type PacketVerdict } from '../../services/broker/packet-gate.js';

const publish = (payload: string, qos: 0 | 1, messageId = 0) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'openwest/instruments/3',
    payload,
    qos,
    retain: false,
    dup: false,
    messageId,
  } as never);
const ping = () => mqttPacket.generate({ cmd: 'pingreq' } as never);
const subscribe = (messageId: number) =>
  mqttPacket.generate({ cmd: 'subscribe', messageId, subscriptions: [{ topic: 'openwest/notes/+', qos: 0 }] } as never);

/** Feeds `stream` cut at `cuts`; returns what aedes would read, the marked ids and any close. */
function run(stream: Buffer, cuts: number[], judge: (h: PacketHeader) => PacketVerdict) {
  const gate = new PacketGate(judge);
  const kept: Buffer[] = [];
  const marked: number[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < stream.length).sort((a, b) => a - b), stream.length]) {
    const result = gate.feed(stream.subarray(from, cut));
    if (result.close) return { kept: Buffer.concat(kept), marked, close: result.close };
    marked.push(...result.marked);
    kept.push(...result.keep.map((k) => Buffer.from(k)));
    from = cut;
  }
  return { kept: Buffer.concat(kept), marked, close: undefined };
}

/** Drops the n-th PUBLISH where `pattern` says so — the judge sees only headers: QoS 0 shed, QoS 1 marked. */
function dropEvery(pattern: boolean[]) {
  let n = 0;
  return (h: PacketHeader): PacketVerdict => {
    if (h.type !== 3 || !pattern[n++ % pattern.length]) return 'pass';
    return (h.flags & 0x06) === 0 ? 'shed' : 'mark';
  };
}

describe('packet gate', () => {
  it('lets everything through untouched when nothing is shed, cut anywhere', () => {
    const stream = Buffer.concat([publish('60', 0), ping(), publish('61', 1, 7), subscribe(2)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { kept, marked } = run(stream, [cut], () => 'pass');
      expect(kept.equals(stream)).toBe(true);
      expect(marked).toEqual([]);
    }
  });

  it('cuts shed QoS 0 packets out of the stream whole, and keeps marked QoS 1 ones while telling their ids, however the reads are cut', () => {
    const packets = [
      { bytes: publish('60', 0), drop: false },
      { bytes: publish('61', 1, 301), drop: true },
      { bytes: ping(), drop: false },
      { bytes: publish('62', 0), drop: true },
      { bytes: publish('63', 1, 302), drop: false },
      { bytes: publish('64', 1, 303), drop: true },
      { bytes: publish('65', 0), drop: true },
      { bytes: subscribe(9), drop: false },
    ];
    const stream = Buffer.concat(packets.map((p) => p.bytes));
    // QoS 1 packets stay in the stream (aedes acknowledges them in turn); only QoS 0 ones go
    const expected = Buffer.concat(packets.filter((p) => !p.drop || (p.bytes[0]! & 0x06) !== 0).map((p) => p.bytes));
    const pattern = packets.filter((p) => p.bytes[0]! >> 4 === 3).map((p) => p.drop);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const { kept, marked, close } = run(stream, cuts, dropEvery(pattern));
        expect(close).toBeUndefined();
        expect(kept.equals(expected)).toBe(true);
        expect(marked).toEqual([301, 303]);
      }),
      { numRuns: 500 },
    );
  });

  it('closes on the judge’s word or a malformed length, from the header alone', () => {
    const big = publish('x'.repeat(1000), 0);
    expect(
      run(big.subarray(0, 3), [], (h) => (h.bytes > 256 ? { close: `packet of ${h.bytes} bytes` } : 'pass')).close,
    ).toBe('packet of 1027 bytes');
    expect(run(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), [], () => 'pass').close).toMatch(
      /malformed remaining length/,
    );
  });

  it('tells the judge each packet’s type, flags, size and whether it is the first', () => {
    const seen: PacketHeader[] = [];
    run(Buffer.concat([ping(), publish('60', 1, 5)]), [1], (h) => (seen.push({ ...h }), 'pass'));
    expect(seen).toEqual([
      { type: 12, flags: 0, bytes: 2, first: true },
      { type: 3, flags: 2, bytes: publish('60', 1, 5).length, first: false },
    ]);
  });
});
