import { filter, map, Subscription } from 'rxjs';
import { epochNow } from '../../shared/clock.js';
import { decodeJson, type PlayedEvent } from '../../shared/contract.js';
import type { Logger } from '../../shared/logger.js';
import { startService, type ServiceOptions } from '../../shared/service.js';
import { LatencyWindow, reportStats } from '../../shared/stats.js';
import { chooseOutput } from './choose-output.js';
import { apply } from './commands.js';
import type { SynthConfig } from './config.js';
import type { MidiOut } from './midi-out.js';
import { silentOutput } from './outputs/silent-output.js';
import { playNotes } from './play-notes.js';
import { SoundingNotes } from './sounding-notes.js';

export interface SynthDeps {
  /** Use this output instead of choosing one from SYNTH_OUTPUT (tests record with it). */
  output?: MidiOut;
  serviceOptions?: ServiceOptions;
}

/** The synth: notes/N → MIDI (note on now, off later) → played/N once the bytes have left. */
export async function startSynth(config: SynthConfig, log: Logger, deps: SynthDeps = {}) {
  let out: MidiOut;
  if (deps.output) {
    out = deps.output;
  } else {
    const chosen = await chooseOutput(config, log, (reason) => {
      log.error(`${reason}; continuing without sound`);
      out = silentOutput(log);
    });
    out = chosen.out;
    (chosen.out.name === 'none' && config.SYNTH_OUTPUT === 'auto' ? log.warn : log.info).call(log, chosen.why);
  }

  const service = await startService('synth', config, log, deps.serviceOptions);
  const { topics } = service;
  const sounding = new SoundingNotes();
  const counts = { received: 0, played: 0, invalid: 0 };
  const latency = new LatencyWindow();

  const events$ = service.messages(topics.notesAll).pipe(
    map((m) => decodeJson('notes', m.payload)),
    filter((decoded) => {
      counts.received += 1;
      if (!decoded.ok) {
        counts.invalid += 1;
        log.warn(`ignored a note event: ${decoded.reason}`);
      }
      return decoded.ok;
    }),
    map((decoded) => (decoded as { ok: true; value: PlayedEvent }).value),
  );

  const subscription = new Subscription();
  subscription.add(
    playNotes({ maxNoteMs: config.MAX_NOTE_MS })(events$).subscribe((command) => {
      apply(out, command);
      sounding.track(command);
      if (command.kind === 'noteOn') {
        const playedAt = epochNow();
        counts.played += 1;
        latency.add(playedAt - command.event.receivedAt);
        service.publish(topics.played(command.event.instrument), { ...command.event, playedAt, output: out.name });
      }
    }),
  );
  subscription.add(
    service.connected$.pipe(filter((up) => !up)).subscribe(() => {
      if (sounding.size > 0) log.warn(`lost the broker: silencing ${sounding.size} sounding notes`);
      sounding.silence(out);
    }),
  );
  const stats = reportStats(service, config.STATS_INTERVAL_MS, () => ({
    ...counts,
    droppedWhileOffline: service.droppedWhileOffline(),
    output: out.name,
    latencyMs: latency.percentiles(),
  }));

  return {
    service,
    async stop() {
      subscription.unsubscribe();
      sounding.silence(out);
      stats.stop();
      await service.stop();
      await out.close();
    },
  };
}
