import type { SynthCommand } from './commands.js';
import { CC_ALL_NOTES_OFF, CC_ALL_SOUND_OFF, type MidiOut } from './midi-out.js';

/** Which notes are sounding on which channels, kept from the commands sent, so we can silence them. */
export class SoundingNotes {
  private readonly sounding = new Map<number, { channel: number; note: number }>();
  private readonly channelsUsed = new Set<number>();

  track(command: SynthCommand): void {
    if (command.kind === 'program') return;
    const key = command.channel * 128 + command.note;
    this.channelsUsed.add(command.channel);
    if (command.kind === 'noteOn') this.sounding.set(key, { channel: command.channel, note: command.note });
    else this.sounding.delete(key);
  }

  get size(): number {
    return this.sounding.size;
  }

  /** Note off for every sounding note, then All Notes Off and All Sound Off on every channel used. */
  silence(out: MidiOut): void {
    for (const { channel, note } of this.sounding.values()) out.noteOff(channel, note);
    this.sounding.clear();
    for (const channel of this.channelsUsed) {
      out.control(channel, CC_ALL_NOTES_OFF, 0);
      out.control(channel, CC_ALL_SOUND_OFF, 0);
    }
  }
}
