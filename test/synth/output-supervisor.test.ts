import { describe, expect, it } from 'vitest';
import { OutputSupervisor } from '../../services/synth/output-supervisor.js';
import { mayRestart } from '../../services/synth/restart-policy.js';
import { capturingLog } from '../helpers/capture-log.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { waitFor } from '../helpers/wait.js';

describe('restart policy', () => {
  const policy = { maxRestarts: 2, windowMs: 1_000 };
  it.each([
    [[], 5_000, true],
    [[4_500], 5_000, true],
    [[4_200, 4_500], 5_000, false],
    [[3_000, 4_500], 5_000, true],
    [[3_999, 4_000], 5_000, true],
  ])('earlier crashes %j, crash at %d → restart: %s', (earlier, now, expected) => {
    expect(mayRestart(earlier, now, policy)).toBe(expected);
  });

  it('with maxRestarts 0 never restarts', () => {
    expect(mayRestart([], 0, { maxRestarts: 0, windowMs: 1_000 })).toBe(false);
  });
});

const logged = () => capturingLog();

const named = (name: string) => Object.assign<RecordingOutput, { name: string }>(new RecordingOutput(), { name });

describe('output supervisor', () => {
  it('on a crash: silences first, plays to the fallback, restarts and switches back, silencing again', async () => {
    const { log, text } = logged();
    const switches: string[] = [];
    const supervisor = new OutputSupervisor({
      log,
      policy: { maxRestarts: 3, windowMs: 60_000 },
      fallback: () => named('none'),
      beforeSwitch: () => switches.push(supervisor.current.name),
    });
    supervisor.use(named('fluidsynth'), () => Promise.resolve(named('fluidsynth')));
    supervisor.crashed('FluidSynth stopped (SIGKILL)');
    expect(supervisor.current.name).toBe('none');
    await waitFor('the restart', () => supervisor.restarts === 1);
    expect(supervisor.current.name).toBe('fluidsynth');
    expect(switches).toEqual(['fluidsynth', 'none']);
    expect(text()).toMatch(/FluidSynth stopped \(SIGKILL\); restarting it/);
    expect(text()).toMatch(/fluidsynth restarted/);
  });

  it('gives up after too many crashes and stays on the fallback, saying so', async () => {
    const { log, text } = logged();
    let opened = 0;
    const supervisor = new OutputSupervisor({
      log,
      policy: { maxRestarts: 1, windowMs: 60_000 },
      fallback: () => named('none'),
      beforeSwitch: () => {},
    });
    supervisor.use(named('fluidsynth'), () => {
      opened += 1;
      return Promise.resolve(named('fluidsynth'));
    });
    supervisor.crashed('crash 1');
    await waitFor('the restart', () => supervisor.current.name === 'fluidsynth');
    supervisor.crashed('crash 2');
    await new Promise((r) => setImmediate(r));
    expect(opened).toBe(1);
    expect(supervisor.current.name).toBe('none');
    expect(text()).toMatch(/crash 2; it crashed 2 times within 60 s, giving up: no sound from now on/);
  });

  it('falls back to no sound when the restart itself fails', async () => {
    const { log, text } = logged();
    const supervisor = new OutputSupervisor({
      log,
      policy: { maxRestarts: 3, windowMs: 60_000 },
      fallback: () => named('none'),
      beforeSwitch: () => {},
    });
    supervisor.use(named('fluidsynth'), () => Promise.reject(new Error('soundfont gone')));
    supervisor.crashed('crash');
    await waitFor('the failed restart to be reported', () =>
      /could not restart the output \(soundfont gone\)/.test(text()),
    );
    expect(supervisor.current.name).toBe('none');
  });

  it('closes an output that comes back after the synth was closed', async () => {
    const { log } = logged();
    const late = named('fluidsynth');
    let resolveOpen!: (out: RecordingOutput) => void;
    const supervisor = new OutputSupervisor({
      log,
      policy: { maxRestarts: 3, windowMs: 60_000 },
      fallback: () => named('none'),
      beforeSwitch: () => {},
    });
    supervisor.use(named('fluidsynth'), () => new Promise((r) => (resolveOpen = r)));
    supervisor.crashed('crash');
    await supervisor.close();
    resolveOpen(late);
    await waitFor('the late output to be closed', () => late.closed);
    expect(supervisor.current.name).toBe('none');
  });
});
