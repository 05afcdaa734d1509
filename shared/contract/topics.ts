import type { TopicKind } from './contract.js';

/** A topic string that carries, in its type, which payload the contract puts on it. */
export type Topic<K extends TopicKind> = string & { readonly __kind: K };
/** A subscription filter (may hold `+`/`#`) whose matches all carry payload kind K. */
export type TopicFilter<K extends TopicKind> = string & { readonly __filterKind: K };

export const DEFAULT_PREFIX = 'openwest';

/**
 * The services the show runs (the Procfile's lines), whose `offline` means the show is missing a
 * part. Tools report their status too (the score player), but a tool offline has simply finished.
 */
export const SHOW_SERVICES: readonly string[] = ['broker', 'mapper', 'synth', 'sensor', 'visualiser'];
export const isShowService = (name: string): boolean => SHOW_SERVICES.includes(name);
export const FIRST_INSTRUMENT = 1;
export const LAST_INSTRUMENT = 16;

const topic = <K extends TopicKind>(s: string) => s as Topic<K>;
const filter = <K extends TopicKind>(s: string) => s as TopicFilter<K>;

/** Per-instrument topics are published per message: build the 16 once, look them up after. */
const perInstrument = <K extends TopicKind>(make: (n: number) => Topic<K>) => {
  const built = Array.from({ length: LAST_INSTRUMENT + 1 }, (_, n) => make(n));
  return (n: number): Topic<K> => built[n] ?? make(n);
};

/** Every topic of the contract (docs/topic-contract.md), built once for a prefix. */
export const makeTopics = (prefix: string = DEFAULT_PREFIX) => ({
  prefix,
  instrument: perInstrument((n) => topic<'instruments'>(`${prefix}/instruments/${n}`)),
  instrumentsAll: filter<'instruments'>(`${prefix}/instruments/#`),
  /**
   * The performer's lane: the same values as `instruments/N`, published only by services (the
   * sensor's knobs, the score player). The mapper never sheds them and the broker never counts
   * them against the audience; only service logins may publish here.
   */
  performer: perInstrument((n) => topic<'instruments'>(`${prefix}/performer/${n}`)),
  performerAll: filter<'instruments'>(`${prefix}/performer/#`),
  notes: perInstrument((n) => topic<'notes'>(`${prefix}/notes/${n}`)),
  notesAll: filter<'notes'>(`${prefix}/notes/+`),
  played: perInstrument((n) => topic<'played'>(`${prefix}/played/${n}`)),
  playedAll: filter<'played'>(`${prefix}/played/+`),
  errors: topic<'errors'>(`${prefix}/errors`),
  status: (service: string) => topic<'status'>(`${prefix}/status/${service}`),
  statusAll: filter<'status'>(`${prefix}/status/+`),
  stats: (service: string) => topic<'stats'>(`${prefix}/stats/${service}`),
  statsAll: filter<'stats'>(`${prefix}/stats/+`),
  configInstruments: topic<'configInstruments'>(`${prefix}/config/instruments`),
  panic: topic<'panic'>(`${prefix}/panic`),
  /** The room's shared tempo (retained): services set it, the audience may not. */
  tempo: topic<'tempo'>(`${prefix}/tempo`),
  /** Levels under the prefix, slash included, for `startsWith` tests on a hot path. */
  under: {
    instruments: `${prefix}/instruments/`,
    performer: `${prefix}/performer/`,
    notes: `${prefix}/notes/`,
    status: `${prefix}/status/`,
  },
  /** The 16 valid instrument topics → their number. */
  instrumentNumbers: new Map(
    Array.from({ length: LAST_INSTRUMENT - FIRST_INSTRUMENT + 1 }, (_, i) => [
      `${prefix}/instruments/${FIRST_INSTRUMENT + i}`,
      FIRST_INSTRUMENT + i,
    ]),
  ) as ReadonlyMap<string, number>,
});

export type Topics = ReturnType<typeof makeTopics>;

/** Why a topic is not `prefix/instruments/{1..16}`, as a stable code for counting. */
export type InstrumentTopicProblem = 'missing-instrument' | 'not-instrument-topic' | 'extra-levels' | 'bad-instrument';

export type InstrumentTopicResult =
  { ok: true; instrument: number } | { ok: false; reason: string; code: InstrumentTopicProblem };

const INSTRUMENT_NUMBER = /^(?:[1-9]|1[0-6])$/;
const VALID = Array.from({ length: LAST_INSTRUMENT + 1 }, (_, n): InstrumentTopicResult =>
  Object.freeze({ ok: true, instrument: n }),
);

/**
 * Reads the instrument number from `prefix/instruments/{n}` (or, with `level` 'performer', from
 * the performer's lane). Only 1–16 written without leading zeros is accepted; every other shape
 * gets a reason a person can act on.
 */
export function parseInstrumentTopic(
  topics: Topics,
  name: string,
  level: 'instruments' | 'performer' = 'instruments',
): InstrumentTopicResult {
  const known = level === 'instruments' ? topics.instrumentNumbers.get(name) : undefined;
  if (known !== undefined) return VALID[known]!;
  const base = `${topics.prefix}/${level}`;
  if (name === base || name === `${base}/`) {
    return { ok: false, code: 'missing-instrument', reason: `missing instrument number: publish to ${base}/{1..16}` };
  }
  if (!name.startsWith(`${base}/`)) {
    return { ok: false, code: 'not-instrument-topic', reason: `not an instrument topic: publish to ${base}/{1..16}` };
  }
  const rest = name.slice(base.length + 1);
  if (rest.includes('/')) {
    return {
      ok: false,
      code: 'extra-levels',
      reason: `extra topic levels after the instrument number: publish to ${base}/{1..16}`,
    };
  }
  if (!INSTRUMENT_NUMBER.test(rest)) {
    return {
      ok: false,
      code: 'bad-instrument',
      reason: `instrument must be a number 1-16 without leading zeros, got "${clip(rest, 16)}"`,
    };
  }
  return { ok: true, instrument: Number(rest) };
}

const KIND_BY_LEVEL = new Map<string, TopicKind>([
  ['instruments', 'instruments'],
  ['performer', 'instruments'],
  ['notes', 'notes'],
  ['played', 'played'],
  ['errors', 'errors'],
  ['status', 'status'],
  ['stats', 'stats'],
  ['config', 'configInstruments'],
  ['panic', 'panic'],
  ['tempo', 'tempo'],
]);

/** Which kind of payload the contract puts on a topic under this prefix (undefined: none). */
export function topicKind(topics: Topics, name: string): TopicKind | undefined {
  const start = topics.prefix.length + 1;
  if (name.charCodeAt(start - 1) !== 47 /* / */ || !name.startsWith(topics.prefix)) return undefined;
  const end = name.indexOf('/', start);
  return KIND_BY_LEVEL.get(end === -1 ? name.slice(start) : name.slice(start, end));
}

export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * MQTT topic-filter matching (`+` one level, `#` the rest), as a broker does it, with the filter
 * split once: the returned test walks the topic name in place, so checking each incoming message
 * allocates nothing.
 */
export function topicMatcher(filterText: string): (name: string) => boolean {
  const levels = filterText.split('/');
  const exact = !levels.includes('+') && !levels.includes('#');
  if (exact) return (name) => name === filterText;
  return (name) => {
    let start = 0;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      if (level === '#') return true;
      if (start > name.length) return false;
      const slash = name.indexOf('/', start);
      const end = slash === -1 ? name.length : slash;
      if (level !== '+' && (end - start !== level.length || !name.startsWith(level, start))) return false;
      start = end + 1;
    }
    return start > name.length;
  };
}
