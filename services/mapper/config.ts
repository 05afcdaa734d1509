import { z } from 'zod';
import { commonEnv } from '../../shared/config.js';

export const mapperEnv = commonEnv.extend({
  STATS_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
});
export type MapperConfig = z.infer<typeof mapperEnv>;
