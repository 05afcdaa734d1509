import type { Stats } from '../../shared/contract/contract.js';

export interface Figure {
  label: string;
  value: string;
}

const SKIP = new Set(['service', 'at']);
const round = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(x < 10 ? 2 : 1));

/**
 * The figures worth a glance from a service's stats: its counters as they are, and for any
 * latency percentiles object its p50 and p99 in milliseconds.
 */
export function keyFigures(stats: Stats): Figure[] {
  const figures: Figure[] = [];
  for (const [key, value] of Object.entries(stats)) {
    if (SKIP.has(key)) continue;
    if (typeof value === 'number') figures.push({ label: key, value: round(value) });
    else if (value && typeof value === 'object') {
      const { p50, p99 } = value as { p50?: unknown; p99?: unknown };
      if (typeof p50 === 'number') figures.push({ label: `${key} p50`, value: round(p50) });
      if (typeof p99 === 'number') figures.push({ label: `${key} p99`, value: round(p99) });
    }
  }
  return figures;
}
