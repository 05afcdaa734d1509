import { readFileSync } from 'node:fs';

export interface Wav {
  sampleRate: number;
  /** First channel, scaled to -1…1. */
  samples: Float64Array;
}

/** Reads a 16-bit PCM WAV (what FluidSynth's file driver writes), keeping the first channel. */
export function readWav(path: string): Wav {
  const bytes = readFileSync(path);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a WAV file`);
  }
  let offset = 12;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(body + 2);
      sampleRate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`${path}: expected 16-bit samples, got ${bits}`);
      const frames = Math.floor(Math.min(size, bytes.length - body) / (2 * channels));
      const samples = new Float64Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = bytes.readInt16LE(body + i * 2 * channels) / 32768;
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}

export const rms = (samples: Float64Array): number =>
  Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / Math.max(1, samples.length));

/**
 * Samples between two times in seconds. A window not wholly inside the recording throws: an empty
 * or cut window would read as silence, and a check for silence could then pass on nothing.
 */
export function window(wav: Wav, fromS: number, toS: number): Float64Array {
  const from = Math.round(fromS * wav.sampleRate);
  const to = Math.round(toS * wav.sampleRate);
  if (!(fromS >= 0 && to > from && to <= wav.samples.length)) {
    throw new Error(
      `window ${fromS.toFixed(2)}–${toS.toFixed(2)} s is not inside the ${durationS(wav).toFixed(2)} s recording`,
    );
  }
  return wav.samples.subarray(from, to);
}

export const durationS = (wav: Wav): number => wav.samples.length / wav.sampleRate;
