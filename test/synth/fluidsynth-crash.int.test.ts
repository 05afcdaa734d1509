import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fluidsynthPid, killAndAwaitRestart, startFluidsynthRoom, type FluidsynthRoom } from '../helpers/fluidsynth.js';
import { noteEvent } from '../helpers/messages.js';
import { fundamentalHz } from '../helpers/pitch.js';
import { waitFor } from '../helpers/wait.js';
import { durationS, readWav, window } from '../helpers/wav.js';

/**
 * docs/services/synth.md: if FluidSynth dies, the synth restarts it, up to FLUIDSYNTH_MAX_RESTARTS
 * times a minute, past that it stays on `none`; a restart with SYNTH_AUDIO_FILE starts that WAV
 * afresh. Here with the real FluidSynth and the GM soundfont, killed with SIGKILL.
 */
let room: FluidsynthRoom;

beforeEach(async () => {
  room = await startFluidsynthRoom('openwest/played/+', 'openwest/stats/synth');
});

afterEach(() => room.stop());

/** The 16-bit samples written so far, read past the 44-byte header whatever sizes it claims yet. */
function rawSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  const body = bytes.subarray(44, 44 + Math.floor((bytes.length - 44) / 2) * 2);
  return new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
}
const audible = (path: string) => rawSamples(path).some((x) => Math.abs(x) > 328); // > 0.01 of full scale

/**
 * What a WAV's header says against the file: the RIFF size and the data chunk's end. FluidSynth
 * writes them when it quits; a killed FluidSynth leaves the placeholders (RIFF 8, data 0).
 */
function wavHeader(path: string) {
  const bytes = readFileSync(path);
  let offset = 12;
  let dataEnd = -1;
  while (offset + 8 <= bytes.length) {
    const size = bytes.readUInt32LE(offset + 4);
    if (bytes.toString('ascii', offset, offset + 4) === 'data') {
      dataEnd = offset + 8 + size;
      break;
    }
    offset += 8 + size + (size % 2);
  }
  return {
    tag: `${bytes.toString('ascii', 0, 4)}/${bytes.toString('ascii', 8, 12)}`,
    fileBytes: bytes.length,
    riffEnd: bytes.readUInt32LE(4) + 8,
    dataEnd,
  };
}

describe('synth after FluidSynth crashes', () => {
  it('restarts a killed FluidSynth, whose WAV begins afresh and is whole once the synth stops', async () => {
    const wavPath = join(room.dir, 'take.wav');
    const { synth, stop, text } = await room.startSynth(wavPath);
    await room.play(noteEvent({ note: 69, name: 'A4', durationMs: 5_000, seq: 1 }));
    await waitFor('A4 to sound in the first WAV', () => audible(wavPath), 10_000);

    await killAndAwaitRestart(synth);
    expect(text()).toMatch(/FluidSynth stopped \(SIGKILL\).*; restarting it/);
    const again = await room.play(noteEvent({ note: 60, name: 'C4', durationMs: 600, seq: 2 }));
    expect(again.output).toBe(`fluidsynth:${wavPath}`);
    // The file driver renders in real time: wait until a second of audio follows the note on.
    const bytesPerSecond = 44_100 * 2 * 2;
    const sizeAtNote = statSync(wavPath).size;
    await waitFor('a second of audio after C4', () => statSync(wavPath).size > sizeAtNote + bytesPerSecond, 10_000);
    const stats = await room.audience.next('openwest/stats/synth', (m) => m.json<{ played: number }>().played === 2);
    expect(stats.json()).toMatchObject({ restarts: 1, output: `fluidsynth:${wavPath}` });
    await stop();

    // A whole WAV: the sizes in its header are those of the file, as FluidSynth writes them on quit.
    const header = wavHeader(wavPath);
    expect(header.tag).toBe('RIFF/WAVE');
    expect(header.riffEnd).toBe(header.fileBytes);
    expect(header.dataEnd).toBe(header.fileBytes);
    // Afresh: the first sound in it is C4, played after the restart, not the A4 from before.
    const wav = readWav(wavPath);
    const onset = wav.samples.findIndex((x) => Math.abs(x) > 0.01) / wav.sampleRate;
    expect(onset).toBeGreaterThanOrEqual(0);
    expect(durationS(wav)).toBeGreaterThanOrEqual(onset + 0.6);
    const first = fundamentalHz(window(wav, onset + 0.1, onset + 0.45), wav.sampleRate);
    expect(Math.abs(first / 261.63 - 1)).toBeLessThan(0.02);
  });

  it('past FLUIDSYNTH_MAX_RESTARTS crashes stays on output "none", and keeps playing and counting notes', async () => {
    const wavPath = join(room.dir, 'given-up.wav');
    const { synth, text } = await room.startSynth(wavPath, { FLUIDSYNTH_MAX_RESTARTS: '2' });
    expect((await room.play(noteEvent({ note: 64, seq: 1 }))).output).toBe(`fluidsynth:${wavPath}`);

    await killAndAwaitRestart(synth);
    await killAndAwaitRestart(synth);
    const last = fluidsynthPid(synth);
    process.kill(last!, 'SIGKILL'); // the third crash within a minute: past the two restarts allowed
    await waitFor('the synth to give up on FluidSynth', () => synth.output().name === 'none', 20_000);
    expect(text()).toMatch(
      /FluidSynth stopped \(SIGKILL\).*crashed 3 times within 60 s, giving up: no sound from now on/,
    );

    // Still serving: notes are played (to nothing), published and counted.
    const after = [2, 3, 4].map((seq) => noteEvent({ note: 60 + seq, seq }));
    for (const event of after) expect((await room.play(event)).output).toBe('none');
    const stats = await room.audience.next('openwest/stats/synth', (m) => m.json<{ played: number }>().played === 4);
    expect(stats.json()).toMatchObject({ output: 'none', restarts: 2, received: 4, played: 4 });
    expect(fluidsynthPid(synth)).toBeUndefined();
  });
});
