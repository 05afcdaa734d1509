/**
 * Between services/supervisor/main.ts and shared/runtime/run-service.ts (no side effects: the supervisor's module
 * starts a supervisor when imported). A copy started with STANDBY_ENV=1 waits, code loaded, for
 * the message TAKE_OVER before it reads its configuration and connects.
 */
export const STANDBY_ENV = 'SUPERVISE_STANDBY';
export const TAKE_OVER = 'start';
