import type { MidiOutputListing } from './outputs/easymidi-output.js';

/** What `npm run midi:list` (`--list`) prints: the MIDI output ports, or why there are none. */
export function describeMidiOutputs(listing: MidiOutputListing, portName: string): string {
  if (!listing.ok) {
    return [
      `No MIDI outputs: the MIDI system did not initialise (${listing.reason}).`,
      `On Linux this means no ALSA sequencer (/dev/snd/seq): load the snd-seq module, or run on a`,
      `machine with sound. Without MIDI, SYNTH_OUTPUT=fluidsynth plays through FluidSynth`,
      `(apt-get install fluidsynth fluid-soundfont-gm), and SYNTH_AUDIO_FILE=out.wav renders to a file.`,
    ].join('\n');
  }
  const ports = listing.outputs.map((name) => `  ${name}`);
  return [
    listing.outputs.length === 0
      ? 'No MIDI output ports yet (the MIDI system works).'
      : `MIDI output ports (${listing.outputs.length}):`,
    ...ports,
    `SYNTH_OUTPUT=midi creates a virtual port named "${portName}" (MIDI_PORT_NAME) for a DAW to open;`,
    `MIDI_OUTPUT=<part of a name above> plays to an existing port instead.`,
  ].join('\n');
}
