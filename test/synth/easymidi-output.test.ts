import { describe, expect, it } from 'vitest';
import { openEasymidi, type MidiSystem } from '../../services/synth/outputs/easymidi-output.js';

/** Stands in for easymidi, which cannot open a port without /dev/snd. */
function fakeMidiSystem(ports: string[]) {
  const opened: { name: string; virtual: boolean }[] = [];
  const sent: [string, unknown][] = [];
  let closed = 0;
  const system: MidiSystem = {
    getOutputs: () => ports,
    Output: class {
      constructor(name: string, virtual = false) {
        opened.push({ name, virtual });
      }
      send(type: string, message: unknown) {
        sent.push([type, message]);
      }
      close() {
        closed += 1;
      }
    } as unknown as MidiSystem['Output'],
  };
  return { system, opened, sent, closed: () => closed };
}

describe('easymidi output', () => {
  it('creates a virtual port named MIDI_PORT_NAME and sends on wire channels 0–15', async () => {
    const midi = fakeMidiSystem([]);
    const out = openEasymidi({ portName: 'OpenWest' }, midi.system);
    expect(out.name).toBe('midi:OpenWest (virtual)');
    expect(midi.opened).toEqual([{ name: 'OpenWest', virtual: true }]);
    out.program(1, 40);
    out.noteOn(1, 60, 100);
    out.noteOff(16, 60);
    out.control(10, 123, 0);
    await out.close();
    expect(midi.sent).toEqual([
      ['program', { channel: 0, number: 40 }],
      ['noteon', { channel: 0, note: 60, velocity: 100 }],
      ['noteoff', { channel: 15, note: 60, velocity: 0 }],
      ['cc', { channel: 9, controller: 123, value: 0 }],
    ]);
    expect(midi.closed()).toBe(1);
  });

  it('with MIDI_OUTPUT picks the existing port whose name contains it, ignoring case', () => {
    const midi = fakeMidiSystem(['Midi Through:Midi Through Port-0 14:0', 'FLUID Synth (4242):Synth input port 128:0']);
    const out = openEasymidi({ portName: 'OpenWest', match: 'fluid' }, midi.system);
    expect(out.name).toBe('midi:FLUID Synth (4242):Synth input port 128:0');
    expect(midi.opened).toEqual([{ name: 'FLUID Synth (4242):Synth input port 128:0', virtual: false }]);
  });

  it('names the available ports when MIDI_OUTPUT matches none', () => {
    const midi = fakeMidiSystem(['Midi Through:0']);
    expect(() => openEasymidi({ portName: 'OpenWest', match: 'Korg' }, midi.system)).toThrow(
      'no MIDI output matches MIDI_OUTPUT="Korg"; available: Midi Through:0',
    );
  });
});
