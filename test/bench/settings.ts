export type Mode = 'full' | 'quick' | 'tiny';

/** How long and how hard each scenario runs. `full` is the benchmark; `quick` is for development; `tiny` for the smoke test. */
export interface BenchSettings {
  mode: Mode;
  brokers: ('aedes' | 'mosquitto')[];
  warmupMs: number;
  /** End to end: measured stretch per rate, after the warm-up. */
  measureMs: number;
  e2eRates: number[];
  floorRate: number;
  mapperRates: number[];
  mapperStepMs: number;
  crowdClients: number;
  /** Crowds (× 5 msg/s) tried in turn until the knob no longer holds. */
  crowdSweep: number[];
  crowdRatePerClient: number;
  crowdMs: number;
  performerRate: number;
  capacityClients: number;
  jitterNotesPerSecond: number;
  jitterMs: number;
  startupRuns: number;
  /** Browser: notes published after the warm-up, paced like a player at this rate. */
  browserNotes: number;
  browserNotesPerSecond: number;
}

const common = {
  brokers: ['aedes', 'mosquitto'] as BenchSettings['brokers'],
  e2eRates: [20, 500],
  floorRate: 500,
  crowdRatePerClient: 5,
  performerRate: 20,
  jitterNotesPerSecond: 8,
  browserNotesPerSecond: 8,
};

export const settingsFor: Record<Mode, BenchSettings> = {
  full: {
    ...common,
    mode: 'full',
    warmupMs: 2_000,
    measureMs: 10_000,
    mapperRates: [2_000, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000],
    mapperStepMs: 3_000,
    crowdClients: 2_000,
    crowdSweep: [1_000, 3_000, 5_000, 7_000, 9_000],
    crowdMs: 10_000,
    capacityClients: 10_000,
    jitterMs: 10_000,
    startupRuns: 3,
    browserNotes: 400,
  },
  quick: {
    ...common,
    mode: 'quick',
    warmupMs: 500,
    measureMs: 2_000,
    mapperRates: [2_000, 10_000, 20_000],
    mapperStepMs: 1_000,
    crowdClients: 500,
    crowdSweep: [1_000],
    crowdMs: 2_000,
    capacityClients: 2_000,
    jitterMs: 2_000,
    startupRuns: 1,
    browserNotes: 48,
  },
  tiny: {
    ...common,
    mode: 'tiny',
    warmupMs: 200,
    measureMs: 400,
    e2eRates: [20, 200],
    floorRate: 200,
    mapperRates: [500, 1_000],
    mapperStepMs: 400,
    crowdClients: 20,
    crowdSweep: [],
    crowdMs: 500,
    capacityClients: 50,
    jitterMs: 1_000,
    startupRuns: 1,
    browserNotes: 12,
  },
};
