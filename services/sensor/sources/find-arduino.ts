/** What `SerialPort.list()` tells about a port (the fields we use). */
export interface PortInfo {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
  manufacturer?: string | undefined;
}

/**
 * USB vendor ids of Arduino boards and of the USB-serial chips on Uno/Nano boards and their
 * clones, most specific first: a genuine Arduino wins over a generic FTDI or CH340 adapter.
 */
export const ARDUINO_VENDOR_IDS: readonly { id: string; who: string }[] = [
  { id: '2341', who: 'Arduino' },
  { id: '2a03', who: 'Arduino (arduino.org)' },
  { id: '1a86', who: 'CH340 (Nano clones)' },
  { id: '0403', who: 'FTDI (Nano, older boards)' },
  { id: '10c4', who: 'CP210x (clones)' },
];

/** The port an Arduino most likely sits on, or undefined when none is plugged in. */
export function findArduino(ports: readonly PortInfo[]): PortInfo | undefined {
  const rank = (p: PortInfo) => ARDUINO_VENDOR_IDS.findIndex((v) => v.id === p.vendorId?.toLowerCase());
  return ports.filter((p) => rank(p) >= 0).sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path))[0];
}
