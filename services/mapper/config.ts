import { z } from 'zod';
import { commonEnv } from '../../shared/runtime/config.js';

export const mapperEnv = commonEnv.extend({
  /** A JSON file overriding any fields of the instrument table (schemas/instruments.schema.json). */
  INSTRUMENTS_FILE: z.string().min(1).optional(),
  /** Rejections published on `errors` per second at most; the rest are counted in stats. */
  MAX_ERRORS_PER_SECOND: z.coerce.number().int().min(1).default(20),
});
export type MapperConfig = z.infer<typeof mapperEnv>;
