import fc from 'fast-check';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketGate, type PacketHeader, type PacketVerdict } from '../../services/broker/packet-gate.js';

const publish = (payload: string, qos: 0 | 1, messageId = 0) =>
  mqttPacket.generate({ cmd: 'publish', topic: 'openwest/instruments/3', payload, qos, retain: false, dup: false, messageId } as never);
const ping = () => mqttPacket.generate({ cmd: 'pingreq' } as never);
const subscribe = (messageId: number) => mqttPacket.generate({ cmd: 'subscribe', messageId, subscriptions: [{ topic: 'openwest/notes/+', qos: 0 }] } as never);

/** Feeds `stream` cut at `cuts`; returns what aedes would read, the PUBACKs owed and any close. */
function run(stream: Buffer, cuts: number[], judge: (h: PacketHeader) => PacketVerdict) {
  const gate = new PacketGate(judge);
  const kept: Buffer[] = [];
  const acks: number[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < stream.length).sort((a, b) => a - b), stream.length]) {
    const result = gate.feed(stream.subarray(from, cut));
    if (result.close) return { kept: Buffer.concat(kept), acks, close: result.close };
    kept.push(...result.keep.map((k) => Buffer.from(k)));
    acks.push(...result.acks);
    from = cut;
  }
  return { kept: Buffer.concat(kept), acks, close: undefined };
}

/** Sheds every PUBLISH whose payload starts with "x" — the judge sees only headers, so decide by order. */
function shedEvery(pattern: boolean[]) {
  let n = 0;
  return (h: PacketHeader): PacketVerdict => (h.type === 3 ? (pattern[n++ % pattern.length] ? 'shed' : 'pass') : 'pass');
}

describe('packet gate', () => {
  it('lets everything through untouched when nothing is shed, cut anywhere', () => {
    const stream = Buffer.concat([publish('60', 0), ping(), publish('61', 1, 7), subscribe(2)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { kept, acks } = run(stream, [cut], () => 'pass');
      expect(kept.equals(stream)).toBe(true);
      expect(acks).toEqual([]);
    }
  });

  it('cuts shed packets out of the stream whole, and owes a PUBACK for each shed QoS 1 one, however the reads are cut', () => {
    const packets = [
      { bytes: publish('60', 0), shed: false },
      { bytes: publish('61', 1, 301), shed: true },
      { bytes: ping(), shed: false },
      { bytes: publish('62', 0), shed: true },
      { bytes: publish('63', 1, 302), shed: false },
      { bytes: publish('64', 1, 303), shed: true },
      { bytes: subscribe(9), shed: false },
    ];
    const stream = Buffer.concat(packets.map((p) => p.bytes));
    const expected = Buffer.concat(packets.filter((p) => !p.shed).map((p) => p.bytes));
    const pattern = packets.filter((p) => p.bytes[0]! >> 4 === 3).map((p) => p.shed);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const { kept, acks, close } = run(stream, cuts, shedEvery(pattern));
        expect(close).toBeUndefined();
        expect(kept.equals(expected)).toBe(true);
        expect(acks).toEqual([301, 303]);
      }),
      { numRuns: 500 },
    );
  });

  it('closes on the judge’s word or a malformed length, from the header alone', () => {
    const big = publish('x'.repeat(1000), 0);
    expect(run(big.subarray(0, 3), [], (h) => (h.bytes > 256 ? { close: `packet of ${h.bytes} bytes` } : 'pass')).close).toBe('packet of 1027 bytes');
    expect(run(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), [], () => 'pass').close).toMatch(/malformed remaining length/);
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
