import { type Observable, filter, map, scan, shareReplay, startWith } from 'rxjs';
import type { Topics } from '../../shared/contract/topics.js';
import { decodeRoomMessage } from './decode.js';
import { emptyRoom, reduceRoom, type RoomEvent, type RoomState } from './room.js';

/** A message as the page's MQTT client hands it over: text, and the page time it arrived. */
export interface PageMessage {
  topic: string;
  text: string;
  at: number;
}

/** Messages → the room events they carry (anything that breaks the contract is dropped). */
export const roomEvents =
  (topics: Topics) =>
  (messages$: Observable<PageMessage>): Observable<RoomEvent> =>
    messages$.pipe(
      map((m) => decodeRoomMessage(topics, m.topic, m.text, m.at)),
      filter((d): d is Extract<typeof d, { ok: true }> => d.ok),
      map((d) => d.event),
    );

/** Room events → the room's state after each (starting empty), shared by every view. */
export const roomState = (events$: Observable<RoomEvent>): Observable<RoomState> =>
  events$.pipe(scan(reduceRoom, emptyRoom), startWith(emptyRoom), shareReplay({ bufferSize: 1, refCount: true }));
