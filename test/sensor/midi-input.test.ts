import { describe, expect, it } from 'vitest';
import { openEasymidiInput, type ControlChange } from '../../services/sensor/sources/midi-input.js';
import { FakeMidiInputs, rtMidiFailure } from '../helpers/midi-inputs.js';

const ports = ['Midi Through:Midi Through Port-0 14:0', 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0'];

describe('MIDI input through easymidi', () => {
  it('opens the input whose name contains MIDI_INPUT, ignoring case', () => {
    const midi = new FakeMidiInputs(ports);
    const input = openEasymidiInput('NANOkontrol', midi);
    expect(input.name).toBe('nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0');
    expect(midi.opened.map((p) => p.name)).toEqual(['nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0']);
  });

  it('without MIDI_INPUT opens the first input there is', () => {
    const midi = new FakeMidiInputs(ports);
    expect(openEasymidiInput(undefined, midi).name).toBe('Midi Through:Midi Through Port-0 14:0');
  });

  it("turns easymidi's wire channels 0-15 into channels 1-16, controller and value unchanged", () => {
    const midi = new FakeMidiInputs(ports);
    const input = openEasymidiInput('nano', midi);
    const heard: ControlChange[] = [];
    input.onControlChange((cc) => heard.push(cc));
    midi.latest().turn(74, 0, 0);
    midi.latest().turn(71, 127, 15);
    midi.latest().turn(76, 64, 9);
    expect(heard).toEqual([
      { channel: 1, controller: 74, value: 0 },
      { channel: 16, controller: 71, value: 127 },
      { channel: 10, controller: 76, value: 64 },
    ]);
  });

  it('names the inputs there are when none matches MIDI_INPUT, and opens nothing', () => {
    const midi = new FakeMidiInputs(ports);
    expect(() => openEasymidiInput('Korg', midi)).toThrow(
      'no MIDI input matches MIDI_INPUT="Korg"; available: Midi Through:Midi Through Port-0 14:0, nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0; plug the controller in, or set MIDI_INPUT to part of one of these names',
    );
    expect(() => openEasymidiInput('Korg', new FakeMidiInputs([]))).toThrow(
      'no MIDI input matches MIDI_INPUT="Korg"; available: none; plug the controller in',
    );
    expect(() => openEasymidiInput(undefined, new FakeMidiInputs([]))).toThrow(
      'no MIDI input found; plug a MIDI controller in',
    );
    expect(midi.opened).toEqual([]);
  });

  it("passes RtMidi's failure on, whether listing or opening", () => {
    const noSystem = new FakeMidiInputs(ports);
    noSystem.failing = rtMidiFailure();
    expect(() => openEasymidiInput('nano', noSystem)).toThrow('Failed to initialise RtMidi');

    const refusing = new FakeMidiInputs(ports);
    refusing.failingToOpen = rtMidiFailure();
    expect(() => openEasymidiInput('nano', refusing)).toThrow('Failed to initialise RtMidi');
    expect(refusing.opened).toEqual([]);
  });

  it('is present while the input is listed, and not once it is unplugged or the MIDI system fails', () => {
    const midi = new FakeMidiInputs([...ports]);
    const input = openEasymidiInput('nano', midi);
    expect(input.present()).toBe(true);
    midi.plugged = [ports[0]!];
    expect(input.present()).toBe(false);
    midi.plugged = [...ports];
    expect(input.present()).toBe(true);
    midi.failing = rtMidiFailure();
    expect(input.present()).toBe(false);
  });

  it('closes the easymidi port it opened', () => {
    const midi = new FakeMidiInputs(ports);
    const input = openEasymidiInput('nano', midi);
    expect(midi.latest().closed).toBe(false);
    input.close();
    expect(midi.latest().closed).toBe(true);
  });
});
