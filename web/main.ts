import { distinctUntilChanged, filter, map, share } from 'rxjs';
import { makeTopics } from '../shared/contract/topics.js';
import { brokerUrlFor, PAGE_CONFIG_PATH, pageConfigSchema, type PageConfig } from '../shared/contract/page-config.js';
import { connectRoom } from './connection.js';
import { describeConnection } from './state/backoff.js';
import { roomFilters } from './state/decode.js';
import { sameLineUp } from './state/room.js';
import { roomEvents, roomState } from './state/room-state.js';
import { byId, setText } from './view/dom.js';
import { renderRejections, renderServices } from './view/health-view.js';
import { roomFullText } from './state/room-full.js';
import { LanesView } from './view/lanes-view.js';
import { PadView } from './view/pad-view.js';
import { SoundPanel } from './view/sound-view.js';
import type { RoomEvent } from './state/room.js';

const connection = byId<HTMLParagraphElement>('connection');

async function loadPageConfig(): Promise<PageConfig> {
  const response = await fetch(PAGE_CONFIG_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${PAGE_CONFIG_PATH}: HTTP ${response.status}`);
  return pageConfigSchema.parse(await response.json());
}

async function main(): Promise<void> {
  const config = await loadPageConfig();
  const topics = makeTopics(config.prefix);
  const room = connectRoom(brokerUrlFor(config, location.hostname), roomFilters(topics));

  const sound = new SoundPanel({
    button: byId('sound'),
    volume: byId('volume'),
    lookAhead: byId('lookahead'),
    latency: byId('latency'),
    level: byId('level'),
  });
  // The page going away (closed, or into the back-forward cache) takes its timers and voices with it.
  addEventListener('pagehide', () => sound.dispose());
  const lanesView = new LanesView(byId('lanes'), (instrument, muted) => sound.setMuted(instrument, muted));
  const pad = new PadView(
    {
      instrument: byId('pad-instrument'),
      keyboard: byId('keyboard'),
      slider: byId('pad-slider'),
      sliderValue: byId('pad-value'),
      sent: byId('pad-sent'),
    },
    (instrument, value) => room.playValue(topics.instrument(instrument), value),
  );
  requestAnimationFrame(() => pad.centre());

  room.state$.subscribe((state) => {
    connection.dataset.state = state.state;
    setText(connection, describeConnection(state));
  });

  const events$ = roomEvents(topics)(room.messages$).pipe(share());

  // Sound first: a note's voice starts before the page spends time redrawing.
  events$
    .pipe(filter((e): e is Extract<RoomEvent, { kind: 'note' }> => e.kind === 'note'))
    .subscribe((event) => sound.play(event.note, event.at));

  const state$ = roomState(events$);

  const lanes$ = state$.pipe(
    map((s) => s.lanes),
    distinctUntilChanged(),
  );
  lanes$.subscribe((lanes) => lanesView.render(lanes));
  // The pad's menu and the voices depend on the line-up only, not on each note.
  lanes$.pipe(distinctUntilChanged(sameLineUp)).subscribe((lanes) => {
    pad.setLanes(lanes);
    sound.setLanes(lanes);
  });
  state$
    .pipe(
      map((s) => s.tint),
      distinctUntilChanged(),
    )
    .subscribe((tint) => {
      if (tint) document.body.style.setProperty('--tint', tint);
    });
  state$
    .pipe(distinctUntilChanged((a, b) => a.services === b.services && a.stats === b.stats))
    .subscribe((s) => renderServices(byId('services'), s.services, s.stats));
  state$
    .pipe(
      map((s) => s.rejections),
      distinctUntilChanged(),
    )
    .subscribe((r) => renderRejections(byId('rejections'), r));
  const roomFull = byId<HTMLParagraphElement>('room-full');
  state$
    .pipe(
      map((s) => roomFullText(s.stats['broker'])),
      distinctUntilChanged(),
    )
    .subscribe((text) => {
      setText(roomFull, text);
      roomFull.hidden = text === '';
    });

  const frame = (now: number) => {
    lanesView.draw(now);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

main().catch((error: unknown) => {
  connection.dataset.state = 'failed';
  setText(connection, describeConnection({ state: 'failed', reason: (error as Error).message }));
});
