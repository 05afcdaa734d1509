import { z } from 'zod';
import { commonEnv } from '../../shared/runtime/config.js';

export const mapperEnv = commonEnv.extend({
  INSTRUMENTS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'a JSON file overriding any fields of the instrument table (schemas/instruments.schema.json); unset: the shipped table',
    )
    .meta({ example: 'instruments.json' }),
  MAX_ERRORS_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('rejections published on errors a second at most; the rest are counted in stats'),
});
export type MapperConfig = z.infer<typeof mapperEnv>;
