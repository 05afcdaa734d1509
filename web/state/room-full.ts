import type { Stats } from '../../shared/contract/contract.js';

/**
 * The quiet line a presenter reads when the audience offers more than the broker's budget
 * (`room` on `stats/broker`); empty while every value gets through.
 */
export function roomFullText(broker: Stats | undefined): string {
  const room = (broker as { room?: { shedPercent?: unknown } } | undefined)?.room;
  const percent = typeof room?.shedPercent === 'number' ? room.shedPercent : 0;
  if (percent <= 0) return '';
  return `the room is full: ${percent < 1 ? '<1' : Math.round(percent)} % of values dropped`;
}
