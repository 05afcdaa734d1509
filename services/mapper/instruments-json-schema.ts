import { z } from 'zod';
import { instrumentsFileSchema } from './instruments-file.js';

/** Where the JSON Schema for INSTRUMENTS_FILE is shipped, relative to the repository root. */
export const INSTRUMENTS_SCHEMA_PATH = 'schemas/instruments.schema.json';

/**
 * The JSON Schema of INSTRUMENTS_FILE, generated from the zod schema the mapper validates with,
 * so editors autocomplete exactly what start-up accepts.
 */
export function instrumentsJsonSchema(): string {
  const schema = z.toJSONSchema(instrumentsFileSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
