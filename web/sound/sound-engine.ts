import * as Tone from 'tone';
import type { NoteEvent } from '../../shared/contract/contract.js';
import { drumSound, voicePlanFor, type DrumSound, type VoicePlan } from './voice-plan.js';

interface MelodicVoice {
  kind: 'melodic';
  synth: Tone.PolySynth;
}
interface DrumKit {
  kind: 'drums';
  hits: Record<DrumSound, (time: number, velocity: number) => void>;
  /** The kit's six synths, disposed with the voice. */
  synths: readonly Tone.ToneAudioNode[];
}
type Voice = (MelodicVoice | DrumKit) & { key: string; channel: Tone.Volume; last: number };

/**
 * The page's sound: one Tone.js voice per instrument through a mute-able channel into a master
 * volume, metered. Built on an AudioContext the caller created inside the "Sound on" gesture.
 */
export class SoundEngine {
  private readonly voices = new Map<number, Voice>();
  private readonly muted = new Set<number>();

  private constructor(
    private readonly context: Tone.Context,
    private readonly master: Tone.Volume,
    private readonly meter: Tone.Meter,
  ) {}

  static start(raw: AudioContext, options: { lookAheadS: number; volumeDb: number }): SoundEngine {
    const previous = Tone.getContext();
    const context = new Tone.Context({ context: raw, lookAhead: options.lookAheadS });
    Tone.setContext(context);
    if (previous !== context) void previous.dispose();
    const meter = new Tone.Meter({ smoothing: 0.5 });
    const master = new Tone.Volume(options.volumeDb);
    master.connect(meter);
    master.toDestination();
    return new SoundEngine(context, master, meter);
  }

  /** What the audio device adds after a sample is scheduled (base + output latency), in ms. */
  get deviceLatencyMs(): number {
    const raw = this.context.rawContext as unknown as AudioContext;
    return ((raw.baseLatency ?? 0) + (raw.outputLatency ?? 0)) * 1000;
  }

  get lookAheadS(): number {
    return this.context.lookAhead;
  }

  set lookAheadS(seconds: number) {
    this.context.lookAhead = seconds;
  }

  set volumeDb(db: number) {
    this.master.volume.value = db;
  }

  setMuted(instrument: number, muted: boolean): void {
    if (muted) this.muted.add(instrument);
    else this.muted.delete(instrument);
    const voice = this.voices.get(instrument);
    if (voice) voice.channel.mute = muted;
  }

  /** Builds the voices of these instruments now, so their first notes do not wait for it. */
  prepare(instruments: readonly Pick<NoteEvent, 'instrument' | 'channel' | 'program'>[]): void {
    for (const i of instruments) this.voiceFor(i);
  }

  /** The output level now, in dB (−Infinity for silence). */
  levelDb(): number {
    const value = this.meter.getValue();
    return Array.isArray(value) ? Math.max(...value) : value;
  }

  /**
   * Starts the note's voice as soon as the look-ahead allows. Returns the page time (ms, the
   * performance.now() clock) at which the voice starts sounding at the output.
   */
  play(note: NoteEvent): number {
    const voice = this.voiceFor(note);
    // A monophonic Tone voice refuses two starts at the same instant: nudge the second one.
    const time = Math.max(this.context.now(), voice.last + 0.001);
    voice.last = time;
    const velocity = note.velocity / 127;
    if (voice.kind === 'drums') voice.hits[drumSound(note.note)](time, velocity);
    else
      voice.synth.triggerAttackRelease(
        Tone.Frequency(note.note, 'midi').toFrequency(),
        note.durationMs / 1000,
        time,
        velocity,
      );
    return this.pageTimeOf(time);
  }

  /** Audio-clock time → page clock, including the output's own latency when the browser knows it. */
  private pageTimeOf(audioTime: number): number {
    const raw = this.context.rawContext as unknown as AudioContext;
    const stamp = typeof raw.getOutputTimestamp === 'function' ? raw.getOutputTimestamp() : undefined;
    if (stamp?.performanceTime && stamp.contextTime !== undefined) {
      return stamp.performanceTime + (audioTime - stamp.contextTime) * 1000;
    }
    return performance.now() + (audioTime - this.context.currentTime + (raw.outputLatency ?? 0)) * 1000;
  }

  /** The instrument's voice, rebuilt when its channel or program changes. */
  private voiceFor(lane: Pick<NoteEvent, 'instrument' | 'channel' | 'program'>): Voice {
    const key = `${lane.channel}:${lane.program}`;
    const existing = this.voices.get(lane.instrument);
    if (existing?.key === key) return existing;
    if (existing) disposeVoice(existing);
    const channel = new Tone.Volume(-6).connect(this.master);
    channel.mute = this.muted.has(lane.instrument);
    const plan = voicePlanFor(lane);
    const voice: Voice =
      plan.kind === 'drums'
        ? { kind: 'drums', ...drumKit(channel), key, channel, last: 0 }
        : {
            kind: 'melodic',
            synth: melodicSynth(plan, channel),
            key,
            channel,
            last: 0,
          };
    this.voices.set(lane.instrument, voice);
    return voice;
  }

  async close(): Promise<void> {
    for (const v of this.voices.values()) disposeVoice(v);
    this.voices.clear();
    await this.context.close();
  }
}

/** A voice's Tone.js nodes: its channel and every synth feeding it (a drum kit has six). */
function disposeVoice(voice: Voice): void {
  if (voice.kind === 'melodic') voice.synth.dispose();
  else for (const synth of voice.synths) synth.dispose();
  voice.channel.dispose();
}

function melodicSynth(plan: Extract<VoicePlan, { kind: 'melodic' }>, out: Tone.ToneAudioNode): Tone.PolySynth {
  const synth = new Tone.PolySynth(Tone.Synth, { oscillator: { type: plan.oscillator }, envelope: plan.envelope });
  synth.maxPolyphony = 16;
  synth.volume.value = -8;
  return synth.connect(out);
}

/** Drum sounds from Tone's membrane (kick, toms), noise (snare, clap) and metal (hats, cymbals) voices. */
function drumKit(out: Tone.ToneAudioNode): Pick<DrumKit, 'hits' | 'synths'> {
  const kick = new Tone.MembraneSynth({ pitchDecay: 0.05, octaves: 6 }).connect(out);
  const tom = new Tone.MembraneSynth({ pitchDecay: 0.08, octaves: 3 }).connect(out);
  const snare = new Tone.NoiseSynth({
    noise: { type: 'white' },
    envelope: { attack: 0.001, decay: 0.15, sustain: 0 },
  }).connect(out);
  const clap = new Tone.NoiseSynth({
    noise: { type: 'pink' },
    envelope: { attack: 0.001, decay: 0.08, sustain: 0 },
  }).connect(out);
  const hat = new Tone.MetalSynth({ envelope: { attack: 0.001, decay: 0.06, release: 0.01 }, volume: -12 }).connect(
    out,
  );
  const cymbal = new Tone.MetalSynth({ envelope: { attack: 0.001, decay: 0.8, release: 0.3 }, volume: -14 }).connect(
    out,
  );
  return {
    synths: [kick, tom, snare, clap, hat, cymbal],
    hits: {
      kick: (t, v) => kick.triggerAttackRelease('C1', 0.2, t, v),
      tom: (t, v) => tom.triggerAttackRelease('G2', 0.2, t, v),
      snare: (t, v) => snare.triggerAttackRelease(0.15, t, v),
      clap: (t, v) => clap.triggerAttackRelease(0.08, t, v),
      hat: (t, v) => hat.triggerAttackRelease('C6', 0.05, t, v),
      cymbal: (t, v) => cymbal.triggerAttackRelease('C6', 0.5, t, v),
    },
  };
}
