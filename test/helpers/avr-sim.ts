import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AVRADC, AVRTimer, AVRUSART, CPU, adcConfig, avrInstruction, timer0Config, usart0Config } from 'avr8js';
import { repoRoot } from './procfile.js';

const run = promisify(execFile);
const CLOCK_HZ = 16_000_000;

/** Builds the knobs firmware with hardware/build.sh (Debian's AVR toolchain) into `outDir`. */
export async function buildFirmware(outDir: string): Promise<{ bin: string; hex: string; output: string }> {
  const { stdout, stderr } = await run('sh', [join(repoRoot, 'hardware/build.sh'), outDir], { timeout: 240_000 });
  return { bin: join(outDir, 'openwest-knobs.bin'), hex: join(outDir, 'openwest-knobs.hex'), output: stdout + stderr };
}

/**
 * An ATmega328P at 16 MHz (an Uno or Nano) running a firmware image in avr8js: the timer that
 * `millis()` needs, the ADC with a voltage per analog input, and USART0's output as text.
 */
export class SimulatedUno {
  private readonly cpu: CPU;
  private readonly adc: AVRADC;
  /** Everything the firmware has sent on its serial port. */
  serialOut = '';
  onSerialByte: ((byte: number) => void) | undefined;

  constructor(binFile: string) {
    const image = readFileSync(binFile);
    const program = new Uint16Array(0x8000 / 2);
    new Uint8Array(program.buffer).set(image);
    this.cpu = new CPU(program);
    new AVRTimer(this.cpu, timer0Config);
    const usart = new AVRUSART(this.cpu, usart0Config, CLOCK_HZ);
    usart.onByteTransmit = (byte) => {
      this.serialOut += String.fromCharCode(byte);
      this.onSerialByte?.(byte);
    };
    this.adc = new AVRADC(this.cpu, adcConfig);
    for (let pin = 0; pin < 6; pin++) this.setVolts(pin, 0);
  }

  /** The voltage on analog input A`pin` (0–5 V): a potentiometer's wiper. */
  setVolts(pin: number, volts: number): void {
    this.adc.channelValues[pin] = volts;
  }

  /** Runs the firmware for `ms` of simulated time, yielding to the event loop every 10 ms of it. */
  async runFor(ms: number): Promise<void> {
    const end = this.cpu.cycles + (ms * CLOCK_HZ) / 1000;
    while (this.cpu.cycles < end) {
      const sliceEnd = Math.min(end, this.cpu.cycles + CLOCK_HZ / 100);
      while (this.cpu.cycles < sliceEnd) {
        avrInstruction(this.cpu);
        this.cpu.tick();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The complete lines sent so far, without their `\r\n`. */
  lines(): string[] {
    return this.serialOut.split('\r\n').slice(0, -1);
  }
}
