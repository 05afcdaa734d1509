import { filter, map, startWith, tap, type Observable } from 'rxjs';
import type { Tempo } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import { readTempo } from '../../shared/contract/tempo.js';

/**
 * Messages on `tempo` → the room's tempo as it changes, starting with none until the retained
 * one arrives. A payload that is not a tempo leaves the tempo as it was and is handed to
 * `refused` with its reason (for `errors`): a bad publish must not stop the room, nor start a grid.
 */
export const roomTempo = (
  messages$: Observable<IncomingMessage>,
  refused: (m: IncomingMessage, reason: string) => void,
): Observable<Tempo | null> =>
  messages$.pipe(
    map((m) => ({ m, reading: readTempo(m.payload) })),
    tap(({ m, reading }) => {
      if (!reading.ok) refused(m, reading.reason);
    }),
    filter((read): read is { m: IncomingMessage; reading: { ok: true; tempo: Tempo | null } } => read.reading.ok),
    map(({ reading }) => reading.tempo),
    startWith<Tempo | null>(null),
  );
