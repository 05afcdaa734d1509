import { z } from 'zod';
import { STANDBY_ENV } from '../../shared/runtime/standby.js';

const ms = (fallback: number) => z.coerce.number().int().min(0).max(600_000).default(fallback);

/** The supervisor's own settings (services/supervisor/main.ts); every Procfile line runs under it. */
export const supervisorEnv = z.object({
  RESTART_DELAY_MS: ms(250).describe(
    'without a standby, how long before a dead service is started again, in ms (doubled for each quick death in a row)',
  ),
  STANDBY_DELAY_MS: ms(5_000).describe(
    'how long after a service (re)starts its warm standby is started, in ms (so the two do not compete for the CPU)',
  ),
  MAX_QUICK_RESTARTS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000)
    .default(5)
    .describe('deaths in a row, each within 2 s of starting, after which the supervisor gives up'),
  [STANDBY_ENV]: z
    .enum(['0', '1'])
    .default('1')
    .describe(
      '1: keep a warm standby copy that takes over at once when the service dies; 0: none (half the memory, slower restarts)',
    ),
});
export type SupervisorConfig = z.infer<typeof supervisorEnv>;
