/**
 * Fundamental frequency by YIN (de Cheveigné & Kawahara 2002): the cumulative-mean-normalised
 * difference function, its first dip below `threshold`, refined by parabolic interpolation. It
 * finds the fundamental of a piano tone even where an overtone is louder.
 */
export function fundamentalHz(
  samples: Float64Array,
  sampleRate: number,
  minHz = 50,
  maxHz = 2_000,
  threshold = 0.15,
): number {
  const maxLag = Math.floor(sampleRate / minHz);
  const minLag = Math.floor(sampleRate / maxHz);
  const n = samples.length - maxLag;
  if (n <= 0) throw new Error(`need more than ${maxLag} samples to find pitches down to ${minHz} Hz`);
  const d = new Float64Array(maxLag + 1);
  for (let lag = 1; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = samples[i]! - samples[i + lag]!;
      sum += diff * diff;
    }
    d[lag] = sum;
  }
  const cmnd = new Float64Array(maxLag + 1);
  cmnd[0] = 1;
  let running = 0;
  for (let lag = 1; lag <= maxLag; lag++) {
    running += d[lag]!;
    cmnd[lag] = running === 0 ? 1 : (d[lag]! * lag) / running;
  }
  let best = -1;
  for (let lag = minLag; lag < maxLag; lag++) {
    if (cmnd[lag]! < threshold) {
      while (lag + 1 < maxLag && cmnd[lag + 1]! < cmnd[lag]!) lag++;
      best = lag;
      break;
    }
  }
  if (best < 0) {
    best = minLag;
    for (let lag = minLag; lag < maxLag; lag++) if (cmnd[lag]! < cmnd[best]!) best = lag;
  }
  const [a, b, c] = [cmnd[best - 1] ?? cmnd[best]!, cmnd[best]!, cmnd[best + 1] ?? cmnd[best]!];
  const shift = a - 2 * b + c === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
  return sampleRate / (best + shift);
}
