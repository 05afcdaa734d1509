import { SerialPort } from 'serialport';
import { Observable } from 'rxjs';
import type { SensorEvent } from '../readings.js';
import { LineSplitter, parseSerialLine } from '../serial-protocol.js';
import { findArduino, type PortInfo } from './find-arduino.js';

export type ListPorts = () => Promise<PortInfo[]>;

export interface SerialSourceOptions {
  /** A fixed device path (SERIAL_PORT); without it the port is found by USB vendor id. */
  path?: string | undefined;
  baudRate: number;
  /** How soon to try again after the device went away or could not be opened. */
  retryMs: number;
  /** How often to look for an Arduino while none is plugged in. */
  scanMs: number;
  listPorts?: ListPorts;
}

const listSerialPorts: ListPorts = () => SerialPort.list();

/**
 * Knob readings from the knobs firmware on a serial port. Never errors: an unplugged device, a
 * port that cannot be opened or garbage on the line become events, and it keeps trying until
 * unsubscribed, so a board plugged back in is read again without a restart.
 */
export function serialSource(options: SerialSourceOptions): Observable<SensorEvent> {
  const listPorts = options.listPorts ?? listSerialPorts;
  return new Observable<SensorEvent>((subscriber) => {
    let stopped = false;
    let port: SerialPort | undefined;
    let timer: NodeJS.Timeout | undefined;
    const emit = (e: SensorEvent) => {
      if (!stopped) subscriber.next(e);
    };
    const waiting = (message: string) => emit({ kind: 'waiting', message });
    const later = (ms: number) => {
      if (!stopped) timer = setTimeout(run, ms);
    };
    // Whatever an attempt throws (SerialPort's constructor throws on options it refuses) is said and
    // retried: never an unhandled rejection, which would stop the service.
    const run = () => {
      attempt().catch((error: unknown) => {
        waiting(
          `cannot use the serial port (${error instanceof Error ? error.message : String(error)}); retrying every ${options.retryMs / 1000} s`,
        );
        later(options.retryMs);
      });
    };

    async function findPath(): Promise<string | undefined> {
      if (options.path) return options.path;
      try {
        const found = findArduino(await listPorts());
        if (!found) waiting(`no Arduino found among the serial ports; checking every ${options.scanMs / 1000} s`);
        return found?.path;
      } catch (error) {
        waiting(`cannot list serial ports (${(error as Error).message}); checking every ${options.scanMs / 1000} s`);
        return undefined;
      }
    }

    async function attempt(): Promise<void> {
      const path = await findPath();
      if (stopped) return;
      if (!path) return later(options.scanMs);
      const splitter = new LineSplitter();
      let opened = false;
      const serial = new SerialPort({ path, baudRate: options.baudRate, autoOpen: false });
      port = serial;
      serial.on('data', (chunk: Buffer) => {
        for (const line of splitter.push(chunk)) {
          const event = parseSerialLine(line);
          if (event) emit(event);
        }
      });
      // 'close' comes after an unplug (err.disconnected) and after our own close on stop.
      serial.on('close', (error?: Error) => {
        if (!opened) return;
        opened = false;
        emit({ kind: 'detached', device: path, reason: error?.message ?? 'closed' });
        later(options.retryMs);
      });
      serial.on('error', () => {
        // Every error also ends in an open callback or a 'close'; those carry the handling.
      });
      serial.open((error) => {
        if (stopped) {
          if (!error) serial.close();
          return;
        }
        if (error) {
          waiting(`cannot open ${path} (${error.message}); retrying every ${options.retryMs / 1000} s`);
          return later(options.retryMs);
        }
        opened = true;
        emit({ kind: 'attached', device: path });
      });
    }

    run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (port?.isOpen) port.close();
    };
  });
}
