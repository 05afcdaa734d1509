import { isShowService } from '../../shared/contract/topics.js';
import type { HealthByService } from '../state/health.js';

/** "and"-joined names: "mapper", "mapper and synth", "mapper, synth and sensor". */
const listed = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * The line the stage shows while any of the show's services says it is offline ("the synth is
 * away"), in name order; empty while all that reported are online. A tool that finished (the
 * score player) is not away, and a service the stage cannot hear of (its own link down: unknown)
 * is not called away either: the connection line says that.
 */
export function awayText(health: HealthByService): string {
  const away = Object.entries(health)
    .filter(([name, state]) => state === 'offline' && isShowService(name))
    .map(([name]) => name)
    .sort();
  if (away.length === 0) return '';
  return `${listed(away.map((name) => `the ${name}`))} ${away.length === 1 ? 'is' : 'are'} away`;
}
