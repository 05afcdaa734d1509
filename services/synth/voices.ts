import type { NoteEvent } from '../../shared/contract/contract.js';
import type { NoteOffReason, SynthCommand } from './commands.js';
import { CC_ALL_NOTES_OFF, CC_ALL_SOUND_OFF } from './midi-out.js';

/** One sounding note; `id` tells a scheduled note off whether its note is still the one sounding. */
export interface Voice {
  readonly id: number;
  readonly channel: number;
  readonly note: number;
}

export interface Started {
  commands: SynthCommand[];
  /** The voice to end later; absent when the event only turned a note off (velocity 0). */
  voice?: Voice;
}

/**
 * Voice allocation for the synth: which notes sound on which channel, oldest first, and what a
 * channel last got as program. Every method returns the MIDI commands the change needs, so the
 * pipeline stays a function of its inputs.
 */
export class Voices {
  private readonly soundingByChannel = new Map<number, Voice[]>();
  private readonly lastProgramByChannel = new Map<number, number>();
  private readonly channelsUsed = new Set<number>();
  private nextId = 1;

  constructor(private readonly maxPerChannel: number) {}

  /** A note event: program change if needed, then note on (or, at velocity 0, note off). */
  start(event: NoteEvent): Started {
    const { channel, note } = event;
    const commands: SynthCommand[] = [];
    this.channelsUsed.add(channel);
    if (this.lastProgramByChannel.get(channel) !== event.program) {
      this.lastProgramByChannel.set(channel, event.program);
      commands.push({ kind: 'program', channel, program: event.program });
    }
    const voices = this.voicesOn(channel);
    const same = voices.findIndex((v) => v.note === note);
    if (same >= 0) {
      voices.splice(same, 1);
      commands.push(off(channel, note, event.velocity === 0 ? 'released' : 'retriggered'));
    }
    if (event.velocity === 0) return { commands };
    while (voices.length >= this.maxPerChannel) {
      const oldest = voices.shift()!;
      commands.push(off(channel, oldest.note, 'stolen'));
    }
    const voice: Voice = { id: this.nextId++, channel, note };
    voices.push(voice);
    commands.push({ kind: 'noteOn', channel, note, velocity: event.velocity, event });
    return { commands, voice };
  }

  /** A note's time is up: note off, unless it was already retriggered, stolen or released. */
  end(voice: Voice): SynthCommand[] {
    const voices = this.voicesOn(voice.channel);
    const at = voices.findIndex((v) => v.id === voice.id);
    if (at < 0) return [];
    voices.splice(at, 1);
    return [off(voice.channel, voice.note, 'ended')];
  }

  /**
   * Note off for every sounding note, then All Notes Off and All Sound Off on every channel used.
   * Programs are forgotten, so the next note on each channel sends its program again (a new
   * output after a switch has not heard them).
   */
  panic(): SynthCommand[] {
    const commands: SynthCommand[] = [];
    for (const voices of this.soundingByChannel.values()) {
      for (const v of voices) commands.push(off(v.channel, v.note, 'panic'));
    }
    this.soundingByChannel.clear();
    this.lastProgramByChannel.clear();
    for (const channel of [...this.channelsUsed].sort((a, b) => a - b)) {
      commands.push({ kind: 'control', channel, cc: CC_ALL_NOTES_OFF, value: 0 });
      commands.push({ kind: 'control', channel, cc: CC_ALL_SOUND_OFF, value: 0 });
    }
    return commands;
  }

  private voicesOn(channel: number): Voice[] {
    let voices = this.soundingByChannel.get(channel);
    if (!voices) this.soundingByChannel.set(channel, (voices = []));
    return voices;
  }
}

const off = (channel: number, note: number, reason: NoteOffReason): SynthCommand => ({
  kind: 'noteOff',
  channel,
  note,
  reason,
});
