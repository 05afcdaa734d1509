import { z } from 'zod';
import { TEMPO_BPM_RANGE, TEMPO_STEPS } from '../../shared/contract/contract.js';
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
  TEMPO_BPM: z.coerce
    .number()
    .min(TEMPO_BPM_RANGE.min)
    .max(TEMPO_BPM_RANGE.max)
    .optional()
    .describe(
      'a shared tempo set on the tempo topic at start: audience notes then wait for the next grid step; unset: off (any service may set it later)',
    )
    .meta({ example: '120' }),
  TEMPO_STEPS: z.coerce
    .number()
    .refine((steps) => (TEMPO_STEPS as readonly number[]).includes(steps), 'expected 2 (eighths) or 4 (sixteenths)')
    .default(4)
    .describe('grid steps per beat with TEMPO_BPM: 2 (eighths) or 4 (sixteenths)'),
});
export type MapperConfig = z.infer<typeof mapperEnv>;
