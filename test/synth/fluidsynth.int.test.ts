import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fluidsynthPid, killAndAwaitRestart, startFluidsynthRoom, type FluidsynthRoom } from '../helpers/fluidsynth.js';
import { noteEvent } from '../helpers/messages.js';
import { fundamentalHz } from '../helpers/pitch.js';
import { sleep } from '../helpers/wait.js';
import { durationS, readWav, rms, window } from '../helpers/wav.js';

let room: FluidsynthRoom;

beforeEach(async () => {
  room = await startFluidsynthRoom('openwest/#');
});

afterEach(() => room.stop());

describe('synth through FluidSynth', () => {
  it('renders A4 (69) at 440 Hz and C4 (60) at 261.6 Hz, within 2 %, and silence once the notes have ended', async () => {
    const wavPath = join(room.dir, 'notes.wav');
    const { stop } = await room.startSynth(wavPath);
    const first = await room.play(noteEvent({ note: 69, name: 'A4', durationMs: 600, seq: 1 }));
    await sleep(1_200); // the rest between the two notes is part of the music
    const second = await room.play(noteEvent({ note: 60, name: 'C4', durationMs: 600, seq: 2 }));
    expect(first.output).toBe(`fluidsynth:${wavPath}`);
    await sleep(600 + 2_000); // the second note, then its release, then silence
    await stop();

    const wav = readWav(wavPath);
    const onset = wav.samples.findIndex((x) => Math.abs(x) > 0.01) / wav.sampleRate;
    expect(onset).toBeGreaterThanOrEqual(0);
    const secondOnset = onset + (second.playedAt - first.playedAt) / 1000;
    // The file driver runs in real time: the recording covers both notes and the silence after.
    expect(durationS(wav)).toBeGreaterThanOrEqual(secondOnset + 0.6 + 1.8);
    const a4 = fundamentalHz(window(wav, onset + 0.1, onset + 0.45), wav.sampleRate);
    const c4 = fundamentalHz(window(wav, secondOnset + 0.1, secondOnset + 0.45), wav.sampleRate);
    expect(Math.abs(a4 / 440 - 1)).toBeLessThan(0.02);
    expect(Math.abs(c4 / 261.63 - 1)).toBeLessThan(0.02);

    const loud = rms(window(wav, secondOnset + 0.1, secondOnset + 0.45));
    const after = rms(window(wav, secondOnset + 0.6 + 1.3, secondOnset + 0.6 + 1.8));
    if (process.env.SHOW_FIGURES) console.info({ a4, c4, loud, after, onset });
    expect(loud).toBeGreaterThan(0.01);
    expect(after).toBeLessThan(loud / 300);
  });

  it('a FluidSynth crash is reported, silenced, restarted, and the synth keeps playing through it', async () => {
    const wavPath = join(room.dir, 'crash.wav');
    const { synth, text } = await room.startSynth(wavPath);
    await room.play(noteEvent({ note: 64, durationMs: 5_000, seq: 1 }));

    await killAndAwaitRestart(synth);
    expect(text()).toMatch(/FluidSynth stopped \(SIGKILL\).*; restarting it/);
    expect(text()).toMatch(/panic \(switching outputs\)/);
    expect(text()).toMatch(/fluidsynth:.*crash\.wav restarted: playing through it again/);

    const again = await room.play(noteEvent({ note: 67, durationMs: 100, seq: 2 }));
    expect(again.output).toBe(`fluidsynth:${wavPath}`);
    const stats = await room.audience.next(
      'openwest/stats/synth',
      (m) => m.json<{ restarts: number; played: number }>().played === 2,
    );
    expect(stats.json()).toMatchObject({ restarts: 1, output: `fluidsynth:${wavPath}` });
  });

  it('drives FluidSynth through its stdin shell only: the child listens on no TCP port', async () => {
    const { synth } = await room.startSynth(join(room.dir, 'tcp.wav'));
    const child = fluidsynthPid(synth)!;
    const socketInodes = new Set(
      readdirSync(`/proc/${child}/fd`)
        .map((fd) => {
          try {
            return readlinkSync(`/proc/${child}/fd/${fd}`);
          } catch {
            return '';
          }
        })
        .flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []),
    );
    const listening = ['tcp', 'tcp6']
      .flatMap((table) =>
        existsSync(`/proc/${child}/net/${table}`)
          ? readFileSync(`/proc/${child}/net/${table}`, 'utf8').split('\n').slice(1)
          : [],
      )
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && socketInodes.has(cols[9] ?? ''));
    expect(listening).toEqual([]);
    // The scan itself works: it finds the listening socket of the broker this test process runs.
    const ownInodes = new Set(
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1] ?? [];
        } catch {
          return [];
        }
      }),
    );
    const ownListening = readFileSync('/proc/self/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && ownInodes.has(cols[9] ?? ''));
    expect(ownListening.length).toBeGreaterThan(0);
  });
});
