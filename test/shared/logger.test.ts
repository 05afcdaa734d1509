import { describe, expect, it } from 'vitest';
import { oncePerProblem } from '../../shared/runtime/logger.js';
import { capturingLog } from '../helpers/capture-log.js';

describe('oncePerProblem', () => {
  it('says each problem once at its level, again only at debug, and builds no text when debug is off', () => {
    const { log, lines } = capturingLog('info');
    const warn = oncePerProblem(log, 'warn');
    let built = 0;
    const describe = (again: boolean) => (built++, again ? 'again' : 'first');
    for (let i = 0; i < 5; i++) warn('bad JSON', describe);
    warn('too long', describe);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'first'],
      [40, 'first'],
    ]);
    expect(built).toBe(2);
  });

  it('at debug level says the repeats too', () => {
    const { log, lines } = capturingLog('debug');
    const error = oncePerProblem(log, 'error');
    error('x', (again) => (again ? 'again' : 'first'));
    error('x', (again) => (again ? 'again' : 'first'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'first'],
      [20, 'again'],
    ]);
  });

  it('remembers at most `max` problems: past that, new ones are said every time', () => {
    const { log, lines } = capturingLog('info');
    const warn = oncePerProblem(log, 'warn', 1);
    for (const p of ['a', 'a', 'b', 'b']) warn(p, () => p);
    expect(lines.map((l) => l.msg)).toEqual(['a', 'b', 'b']);
  });
});
