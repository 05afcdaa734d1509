import { resolve } from 'node:path';
import { visualiserEnv } from '../../../services/visualiser/config.js';
import { startVisualiser } from '../../../services/visualiser/visualiser.js';
import { readConfig } from '../../../shared/runtime/config.js';
import { launchChromium, openVisualiserPage, turnSoundOn } from '../../helpers/browser.js';
import { testLog } from '../../helpers/log.js';
import { repoRoot } from '../../helpers/procfile.js';
import { pace } from '../pace.js';
import { collectUntilQuiet, startEmbeddedBroker, startMapperProcess, startSynthHost } from '../processes.js';
import { BENCH_ENV, publishPacket, RawClient } from '../raw-mqtt.js';
import { check, type Row, type ScenarioResult } from '../report.js';
import { Scope } from '../scope.js';
import type { BenchSettings } from '../settings.js';
import { round, summarise, type Summary } from '../summary.js';

// Piano, bass and the drum kit in turn: two kinds of Tone.js voice.
const INSTRUMENTS = [1, 2, 10];

/**
 * Installed in the page: a copy of every figure the page writes to #latency's `data-last`, which
 * it sets once per note it voices. Mutation records arrive in batches, after the fact, so each
 * record's old value is the figure of the note before it, and the attribute holds the latest.
 */
const RECORD_FIGURES = `(() => {
  const figure = document.getElementById('latency');
  const previous = [];
  const keep = (records) => { for (const r of records) previous.push(r.oldValue); };
  const observer = new MutationObserver(keep);
  observer.observe(figure, { attributes: true, attributeFilter: ['data-last'], attributeOldValue: true });
  globalThis.benchVoiceStarts = () => {
    keep(observer.takeRecords());
    return previous.length === 0 ? [] : [...previous.slice(1), figure.dataset.last].map(Number);
  };
})()`;

/**
 * Run in the page after the notes: the audio output's part of the page figure, on a second
 * AudioContext. It is the page's own conversion (SoundEngine.pageTimeOf in web/sound/sound-engine.ts)
 * of the audio clock's "now" to page time, minus page time now: no note, no look-ahead.
 */
const PROBE_OUTPUT = `(async () => {
  const context = new AudioContext({ latencyHint: 'interactive' });
  await context.resume();
  const parts = [];
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
    const stamp = context.getOutputTimestamp();
    if (stamp.performanceTime) parts.push(stamp.performanceTime + (context.currentTime - stamp.contextTime) * 1000 - performance.now());
  }
  await context.close();
  return parts;
})()`;

const latencyFigures = (s: Summary | null) => ({
  p50: s?.p50 ?? null,
  p90: s?.p90 ?? null,
  p99: s?.p99 ?? null,
  max: s?.max ?? null,
});

/**
 * Scenario 8: the visualiser's page in headless Chromium with sound on, notes published like a
 * player; the figure is the page's own message arrival → voice start (web/view/sound-view.ts).
 */
export async function browserVoice(
  settings: BenchSettings,
): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'> & { failure?: string }> {
  const scope = new Scope();
  try {
    const broker = scope.add(await startEmbeddedBroker());
    scope.add(await startMapperProcess(broker));
    scope.add(await startSynthHost(broker));
    const visualiser = scope.add(
      await startVisualiser(
        readConfig(visualiserEnv, {
          MQTT_URL: broker.url,
          SERVICE_PASSWORD: BENCH_ENV.SERVICE_PASSWORD,
          PORT: '0',
          BIND_HOST: '127.0.0.1',
          MQTT_WS_PORT: String(broker.wsPort),
          LOG_LEVEL: 'silent',
        }),
        testLog('visualiser'),
        { webRoot: resolve(repoRoot, 'dist/web'), print: () => {} },
      ),
    );
    const browser = scope.add(await launchChromium());
    const { page, errors } = await openVisualiserPage(browser, `http://127.0.0.1:${visualiser.port}/`, {
      viewport: { width: 1280, height: 800 },
    });
    await turnSoundOn(page);
    await page.evaluate(RECORD_FIGURES);
    const lookAheadMs = Number(await page.locator('#lookahead').inputValue()) * 1000;

    const player = scope.add(await RawClient.service(broker.port, 'bench-browser-player'));
    const send = (i: number) =>
      player.send(publishPacket(`openwest/instruments/${INSTRUMENTS[i % INSTRUMENTS.length]}`, String(48 + (i % 24))));
    let seen = 0;
    const newFigures = async () => {
      const all = await page.evaluate<number[]>('globalThis.benchVoiceStarts()');
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    };
    const rate = settings.browserNotesPerSecond;
    const warm = await pace(rate, settings.warmupMs, send);
    await collectUntilQuiet(newFigures, warm);
    const sent = await pace(rate, (settings.browserNotes * 1000) / rate, (i) => send(i + warm));
    const figures = await collectUntilQuiet(newFigures, sent);

    const shown = (await page.locator('#latency').textContent()) ?? '';
    const deviceMs = Number(/audio device (\d+) ms/.exec(shown)?.[1] ?? NaN);
    const peakDb = Number(await page.locator('#level').getAttribute('data-peak-db'));
    const output = summarise(await page.evaluate<number[]>(PROBE_OUTPUT));
    const s = summarise(figures);
    const rows: Row[] = [
      {
        case: `page figure: message → voice start (look-ahead ${lookAheadMs} ms)`,
        figures: {
          ...latencyFigures(s),
          sent,
          voiced: figures.length,
          'look-ahead ms': lookAheadMs,
          'audio device ms': Number.isFinite(deviceMs) ? deviceMs : null,
          'peak dB': Number.isFinite(peakDb) ? peakDb : null,
        },
      },
      {
        case: "of which the audio output's part (probed)",
        figures: { ...latencyFigures(output), samples: output?.samples ?? 0 },
      },
    ];
    return {
      rows,
      targets: [
        check('browser: message → Tone.js voice started, p50', '≤ 20 ms', s?.p50, (v) => v <= 20),
        check('browser: message → Tone.js voice started, p99', '≤ 20 ms', s?.p99, (v) => v <= 20),
      ],
      notes: [
        `The embedded broker, the mapper and the synth as processes of their own, the visualiser (startVisualiser) in the bench process serving the built page (dist/web); Debian's Chromium, headless, one fresh profile; "Sound on" clicked. ${sent} notes after a ${warm}-note warm-up, ${rate} notes/s on instruments ${INSTRUMENTS.join(', ')} in turn (Tone.js synth voices and the drum kit), published by a raw client as a player would.`,
        "The figure is the page's own (web/view/sound-view.ts, web/sound/sound-engine.ts), one per voiced note: from the moment the page's MQTT client hands it the notes/N message (performance.now()) to the page time at which the voice's start reaches the audio output, by AudioContext.getOutputTimestamp(). It includes the page's decoding and RxJS work, the Tone.js look-ahead (the page's default, from its look-ahead menu) and the audio output's latency as the browser reports it; not the broker and mapper hops nor the WebSocket delivery before the message reaches the page (scenario 1 times those paths to the synth).",
        `Headless Chromium here has no sound card (no /dev/snd): its audio output is a stand-in that reports baseLatency + outputLatency = ${Number.isFinite(deviceMs) ? deviceMs : '?'} ms and whose output timestamp moves in ~10 ms steps, so the output's part of the figure is the stand-in's, not a phone's or a laptop's. The second row probes that part after the notes, on a second AudioContext in the page, with the page's own conversion (audio clock now → page time at the output, minus page time now). ${whatRemains(s, lookAheadMs, output)}`,
        `The page showed: "${shown}". Page errors: ${errors.length === 0 ? 'none' : errors.join('; ')}.`,
      ],
      ...(errors.length > 0 ? { failure: `the page reported errors: ${errors.join('; ')}` } : {}),
      ...(figures.length === 0 ? { failure: `the page voiced none of the ${sent} notes (${shown})` } : {}),
    };
  } finally {
    await scope.close();
  }
}

/** What the figure leaves for the page's own work once the look-ahead and the output's part are taken off. */
function whatRemains(figure: Summary | null, lookAheadMs: number, output: Summary | null): string {
  if (!figure || !output) return '';
  const work = round(figure.p50 - lookAheadMs - output.p50, 1);
  const remainder = `Figure p50 − look-ahead − output part p50 = ${work} ms`;
  const stated =
    Math.abs(work) < 10
      ? `${remainder}, within those steps of zero: the page's own work (decoding, RxJS, starting the Tone.js voice) is too small to separate from them here.`
      : `${remainder}: roughly the page's own work (decoding, RxJS, starting the Tone.js voice), give or take those steps.`;
  const target =
    output.p50 > 20
      ? ` Against the ≤ 20 ms target: the stand-in's output part alone is p50 ${output.p50} ms, so this machine cannot show whether a page on a real device meets it; ours are the look-ahead and the page's work.`
      : '';
  return stated + target;
}
