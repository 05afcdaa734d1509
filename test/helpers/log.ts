import { pino } from 'pino';

/** A logger for tests: silent unless TEST_LOG=debug|info. */
export const testLog = (name = 'test') => pino({ name, level: process.env.TEST_LOG ?? 'silent' });
