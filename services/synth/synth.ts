import { existsSync, statSync } from 'node:fs';
import { filter, map, merge, Subject, Subscription } from 'rxjs';
import { epochAt, epochNow } from '../../shared/contract/clock.js';
import { decodeJson, type NoteEvent } from '../../shared/contract/contract.js';
import { oncePerProblem, type Logger } from '../../shared/runtime/logger.js';
import { startService, type ServiceOptions } from '../../shared/runtime/service.js';
import { LatencyWindow, reportStats } from '../../shared/runtime/stats.js';
import { chooseOutput } from './choose-output.js';
import { dropStale } from './drop-stale.js';
import { allNotesOff, apply, type SynthCommand } from './commands.js';
import type { SynthConfig } from './config.js';
import type { MidiOut } from './midi-out.js';
import { OutputSupervisor } from './output-supervisor.js';
import { silentOutput } from './outputs/silent-output.js';
import { playNotes } from './play-notes.js';
import { RESTART_WINDOW_MS } from './restart-policy.js';
import { MidiRecorder } from './recording/midi-recorder.js';
import { recordingPath } from './recording/recording-path.js';

export interface SynthDeps {
  /** Use this output instead of choosing one from SYNTH_OUTPUT (tests record with it). */
  output?: MidiOut;
  serviceOptions?: ServiceOptions;
}

/**
 * The synth: notes/N → MIDI (note on now, off later) → played/N once the bytes have left.
 * Panics (the panic topic, losing the broker, switching outputs, stopping) silence everything.
 */
export async function startSynth(config: SynthConfig, log: Logger, deps: SynthDeps = {}) {
  const panics$ = new Subject<string>();
  const panic = (reason: string) => panics$.next(reason);
  const outputs = new OutputSupervisor({
    log,
    policy: { maxRestarts: config.FLUIDSYNTH_MAX_RESTARTS, windowMs: RESTART_WINDOW_MS },
    fallback: () => silentOutput(log),
    beforeSwitch: () => panic('switching outputs'),
  });
  if (deps.output) {
    outputs.use(deps.output);
  } else {
    const chosen = await chooseOutput(config, log, (reason) => outputs.crashed(reason));
    outputs.use(chosen.out, chosen.reopen);
    (chosen.out.name === 'none' && config.SYNTH_OUTPUT === 'auto' ? log.warn : log.info).call(log, chosen.why);
  }
  const recorder = config.RECORD_MIDI
    ? new MidiRecorder({
        path: recordingPath(config.RECORD_MIDI, new Date(), (p) => existsSync(p) && statSync(p).isDirectory()),
        flushEveryMs: config.RECORD_FLUSH_MS,
        log,
      })
    : undefined;
  if (recorder) log.info(`recording MIDI to ${recorder.path} (rewritten every ${config.RECORD_FLUSH_MS} ms)`);

  const service = await startService('synth', config, log, { durable: true, ...deps.serviceOptions });
  const { topics } = service;
  const counts = { received: 0, invalid: 0, stale: 0, played: 0, stolen: 0, panics: 0 };
  const latency = new LatencyWindow();
  const warnInvalid = oncePerProblem(log, 'warn');

  const events$ = service.messages(topics.notesAll).pipe(
    map((m) => {
      counts.received += 1;
      const decoded = decodeJson('notes', m.payload);
      if (!decoded.ok) {
        counts.invalid += 1;
        warnInvalid(
          decoded.reason,
          (again) =>
            `ignored a note event on ${m.topic}: ${decoded.reason}${again ? '' : ' (further ones are counted in stats)'}`,
        );
      }
      return decoded;
    }),
    filter((decoded): decoded is { ok: true; value: NoteEvent } => decoded.ok),
    map((decoded) => decoded.value),
    dropStale(config.STALE_AFTER_MS, epochNow, () => (counts.stale += 1)),
  );
  const reportOutputFailure = oncePerProblem(log, 'error');
  /** Hands a command to the output; a failing output must not take the synth down (each distinct failure logged once). */
  const toOutput = (command: SynthCommand) => {
    const out = outputs.current;
    try {
      apply(out, command);
    } catch (error) {
      const problem = `${out.name} refused a MIDI message: ${(error as Error).message}`;
      reportOutputFailure(problem, () => problem);
    }
    return out;
  };
  const send = (command: SynthCommand) => {
    const out = toOutput(command);
    // one reading of the clock for the recording and for `playedAt`, so the two agree
    const at = performance.now();
    recorder?.record(command, at);
    if (command.kind === 'noteOff' && command.reason === 'stolen') counts.stolen += 1;
    if (command.kind === 'noteOn') {
      const playedAt = epochAt(at);
      counts.played += 1;
      latency.add(playedAt - command.event.receivedAt);
      service.publish(topics.played(command.event.instrument), { ...command.event, playedAt, output: out.name });
    }
  };

  // A copy that takes over (standby or restart) cannot know what its predecessor left sounding.
  // Not recorded: this synth has played nothing yet.
  for (const command of allNotesOff()) toOutput(command);

  const subscription = new Subscription();
  subscription.add(
    panics$.subscribe((reason) => {
      counts.panics += 1;
      (reason === 'stopping' ? log.info : log.warn).call(log, `panic (${reason}): silencing every sounding note`);
    }),
  );
  subscription.add(
    playNotes({ maxNoteMs: config.MAX_NOTE_MS, maxVoicesPerChannel: config.MAX_VOICES_PER_CHANNEL })(
      events$,
      panics$,
    ).subscribe(send),
  );
  subscription.add(
    merge(
      service.messages(topics.panic).pipe(map(() => `${topics.panic} received`)),
      service.connected$.pipe(
        filter((up) => !up),
        map(() => 'lost the broker'),
      ),
    ).subscribe(panic),
  );
  const stats = reportStats(service, config.STATS_INTERVAL_MS, () => ({
    ...counts,
    droppedWhileOffline: service.droppedWhileOffline(),
    output: outputs.current.name,
    restarts: outputs.restarts,
    latencyMs: latency.percentiles(),
  }));

  return {
    service,
    /** The output in use right now (it changes when FluidSynth crashes). */
    output: () => outputs.current,
    async stop() {
      panic('stopping');
      subscription.unsubscribe();
      recorder?.close();
      stats.stop();
      await service.stop();
      await outputs.close();
    },
  };
}
