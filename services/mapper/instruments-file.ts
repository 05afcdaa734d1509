import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { instrumentSchema, type Instrument } from '../../shared/contract/contract.js';
import { ConfigError, describeIssues } from '../../shared/runtime/config.js';
import { FIRST_INSTRUMENT, LAST_INSTRUMENT } from '../../shared/contract/topics.js';
import { defaultInstruments } from './instruments.js';
import { retiredFields } from './retired-fields.js';

/** What a user may set for one instrument: any subset of its fields, nothing unknown. */
export const instrumentOverrideSchema = instrumentSchema
  .omit({ instrument: true })
  .partial()
  .strict()
  .meta({ id: 'instrument', description: 'any fields of one instrument; the rest keep their defaults' });

const instrumentKeys = Array.from({ length: LAST_INSTRUMENT - FIRST_INSTRUMENT + 1 }, (_, i) =>
  String(FIRST_INSTRUMENT + i),
);

/**
 * The file `INSTRUMENTS_FILE` names: `{"instruments": {"3": {"scale": "dorian"}}}`. Keyed by
 * instrument number, so an error's path (`instruments.3.scale`) names the instrument.
 */
export const instrumentsFileSchema = z
  .object({
    $schema: z.string().optional().describe('where editors find this schema'),
    instruments: z
      .object(Object.fromEntries(instrumentKeys.map((key) => [key, instrumentOverrideSchema.optional()])))
      .strict()
      .describe('overrides by instrument number 1–16; fields left out keep their defaults'),
  })
  .strict()
  .meta({
    title: 'OpenWest instruments',
    description: "Overrides for the note mapper's instrument table (INSTRUMENTS_FILE).",
  });
export type InstrumentsFile = z.infer<typeof instrumentsFileSchema>;

/** The defaults with a file's overrides laid over them, field by field. */
export function applyOverrides(
  defaults: readonly Instrument[],
  overrides: InstrumentsFile['instruments'],
): Instrument[] {
  return defaults.map((instrument) => ({ ...instrument, ...overrides[String(instrument.instrument)] }));
}

/**
 * Reads and validates `INSTRUMENTS_FILE`. Any problem throws a ConfigError naming the file, the
 * field's path and the reason, e.g. `instruments.3.scale: Invalid option: expected one of …, got "lydian-ish"`.
 */
export function loadInstruments(
  path: string | undefined,
  defaults: readonly Instrument[] = defaultInstruments,
): Instrument[] {
  if (path === undefined) return [...defaults];
  const source = `INSTRUMENTS_FILE ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(source, [`cannot read the file: ${(error as Error).message}`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  // A retired field is reported with what replaced it, not as zod's bare "unrecognized key".
  const { problems: retired, rest } = retiredFields(data);
  const parsed = instrumentsFileSchema.safeParse(rest);
  const problems = [...retired, ...(parsed.success ? [] : describeIssues(parsed.error, rest))];
  if (!parsed.success || problems.length > 0) throw new ConfigError(source, problems);
  return applyOverrides(defaults, parsed.data.instruments);
}
