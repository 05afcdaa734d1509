import type { Status } from '../../shared/contract/contract.js';

/** "and"-joined names: "mapper", "mapper and synth", "mapper, synth and sensor". */
const listed = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * The line the stage shows while any service's retained status says it is offline ("the synth
 * is away"), in name order; empty while every service that reported is online.
 */
export function awayText(services: Readonly<Record<string, Status>>): string {
  const away = Object.values(services)
    .filter((s) => s.state === 'offline')
    .map((s) => s.service)
    .sort();
  if (away.length === 0) return '';
  return `${listed(away.map((name) => `the ${name}`))} ${away.length === 1 ? 'is' : 'are'} away`;
}
