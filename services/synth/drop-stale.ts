import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { NoteEvent } from '../../shared/contract/contract.js';

/**
 * Drops an audience note that is already older than `maxAgeMs` when it could be played (its age
 * counted from when it was due: `dueAt`, the grid step a note waited for while the room has a
 * tempo, else `receivedAt`, when the mapper read the value): a late note is worse than a missing
 * one, and a note that waited for its step on purpose is not late. The performer's notes, and notes that say no source, always play. `maxAgeMs` 0: off.
 * `now` is the clock `receivedAt` was read from (epoch ms; virtual time in a marble test).
 */
export const dropStale = (
  maxAgeMs: number,
  now: () => number,
  onDrop: (event: NoteEvent, ageMs: number) => void,
): MonoTypeOperatorFunction<NoteEvent> =>
  filter((event) => {
    if (maxAgeMs <= 0 || event.source !== 'audience') return true;
    const age = now() - (event.dueAt ?? event.receivedAt);
    if (age <= maxAgeMs) return true;
    onDrop(event, age);
    return false;
  });
