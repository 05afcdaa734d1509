import { Duplex } from 'node:stream';

/** A socket whose peer stops reading once `frozen` (from the start): from then on every write stays unsent. */
export function frozenSocket(): Duplex & { frozen: boolean } {
  const inner = Object.assign(
    new Duplex({
      read() {},
      write(_chunk, _encoding, callback: () => void) {
        if (!inner.frozen) callback();
      },
    }),
    { frozen: true },
  );
  return inner;
}
