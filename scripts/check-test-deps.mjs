#!/usr/bin/env node
// Run by `npm test` before anything else: the tests use real Debian programs (brokers, a browser,
// a soft synth, a serial-port maker, the AVR toolchain). A machine without them stops here, in
// a moment, with the packages to install and the one command that does it all.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (program) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, program))) ||
  existsSync(join('/usr/sbin', program));

/** Debian package → what of it the tests use. */
const needs = [
  ['mosquitto', () => onPath('mosquitto')],
  ['mosquitto-clients', () => onPath('mosquitto_pub') && onPath('mosquitto_sub')],
  ['fluidsynth', () => onPath('fluidsynth')],
  ['fluid-soundfont-gm', () => existsSync('/usr/share/sounds/sf2/FluidR3_GM.sf2')],
  ['sox', () => onPath('sox')],
  ['socat', () => onPath('socat')],
  ['ruby-foreman', () => onPath('foreman')],
  ['chromium', () => onPath('chromium')],
  ['gcc-avr', () => onPath('avr-gcc')],
  ['avr-libc', () => existsSync('/usr/lib/avr/include/avr/io.h')],
  ['arduino-core-avr', () => existsSync('/usr/share/arduino/hardware/arduino/avr/cores/arduino/Arduino.h')],
  ['simavr', () => onPath('simavr')],
];

const missing = needs.filter(([, present]) => !present()).map(([name]) => name);
if (missing.length > 0) {
  process.stderr.write(
    `npm test: this machine lacks Debian packages the tests use: ${missing.join(' ')}\n` +
      `  run \`bash .ci/run\` as root: it installs them, then runs every test (or apt-get install them and run npm test again).\n`,
  );
  process.exit(1);
}
