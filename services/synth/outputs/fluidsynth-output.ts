import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { MidiOut } from '../midi-out.js';

export const DEFAULT_SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

export interface FluidsynthOptions {
  soundfont: string;
  /** Render to this WAV file instead of the sound card. */
  audioFile?: string;
  /** Called if FluidSynth exits while we still use it, with what it said last. */
  onExit?: (reason: string) => void;
  binary?: string;
  readyTimeoutMs?: number;
}

/**
 * FluidSynth as a child process, driven through its stdin shell (never its TCP shell, which
 * listens on every interface). Resolves once the soundfont is loaded.
 */
export async function openFluidsynth(options: FluidsynthOptions): Promise<MidiOut & { readonly pid: number }> {
  if (!existsSync(options.soundfont)) {
    throw new Error(`soundfont ${options.soundfont} not found: apt-get install fluid-soundfont-gm, or set SOUNDFONT`);
  }
  const args = ['-n', '-q', '-g', '0.6'];
  if (options.audioFile) args.push('-a', 'file', '-o', `audio.file.name=${options.audioFile}`);
  args.push(options.soundfont);
  const child = spawn(options.binary ?? 'fluidsynth', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const said: string[] = [];
  const remember = (chunk: Buffer) => {
    said.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('ALSA lib')),
    );
    said.splice(0, Math.max(0, said.length - 5));
  };
  child.stderr.on('data', remember);
  let closing = false;

  await new Promise<void>((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      child.kill('SIGKILL');
      reject(new Error(reason));
    };
    const timer = setTimeout(
      () => fail(`FluidSynth did not load ${options.soundfont} in time`),
      options.readyTimeoutMs ?? 15_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(options.soundfont)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.off('exit', onEarlyExit);
        resolve();
      }
    };
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`FluidSynth exited at start (code ${code}): ${said.join(' / ') || 'no audio device?'}`));
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run FluidSynth: ${error.message} (apt-get install fluidsynth)`));
    });
    child.stdout.on('data', onData);
    child.once('exit', onEarlyExit);
    send(child, 'fonts');
  });

  child.stdout.resume();
  child.once('exit', (code, signal) => {
    if (!closing) options.onExit?.(`FluidSynth stopped (${signal ?? `code ${code}`}): ${said.join(' / ')}`);
  });
  child.stdin.on('error', () => {});

  const wire = (channel: number) => channel - 1;
  return {
    name: options.audioFile ? `fluidsynth:${options.audioFile}` : 'fluidsynth',
    pid: child.pid!,
    noteOn: (channel, note, velocity) => send(child, `noteon ${wire(channel)} ${note} ${velocity}`),
    noteOff: (channel, note) => send(child, `noteoff ${wire(channel)} ${note}`),
    control: (channel, cc, value) => send(child, `cc ${wire(channel)} ${cc} ${value}`),
    program: (channel, program) => send(child, `prog ${wire(channel)} ${program}`),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        send(child, 'quit');
      }),
  };
}

function send(child: ChildProcessWithoutNullStreams, command: string): void {
  if (child.stdin.writable) child.stdin.write(`${command}\n`);
}

/** Whether the `fluidsynth` program is on PATH. */
export function fluidsynthInstalled(binary = 'fluidsynth'): boolean {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  return dirs.some((dir) => existsSync(`${dir}/${binary}`));
}
