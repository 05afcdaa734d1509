import { combineLatest, distinctUntilChanged, filter, map, merge, share, throttleTime, withLatestFrom } from 'rxjs';
import { makeTopics } from '../shared/contract/topics.js';
import { brokerUrlFor } from '../shared/contract/page-config.js';
import { connectRoom } from './connection.js';
import { loadPageConfig } from './load-page-config.js';
import { describeConnection } from './state/backoff.js';
import { tickingConnection } from './state/countdown.js';
import { RecordControl } from './record/record-view.js';
import { linkEvents, serviceHealth, shownStatuses } from './state/health.js';
import { roomFilters } from './state/decode.js';
import { sameLineUp } from './state/room.js';
import { roomEvents, roomState } from './state/room-state.js';
import { byId, setText } from './view/dom.js';
import { renderRejections, renderServices, servicesSummary } from './view/health-view.js';
import { playedName } from './state/pad-feedback.js';
import { roomFullText } from './state/room-full.js';
import { tempoOf } from './state/tempo-state.js';
import { BeatView } from './view/beat-view.js';
import { LanesView } from './view/lanes-view.js';
import { PadView } from './view/pad-view.js';
import { SoundPanel } from './view/sound-view.js';
import type { RoomEvent } from './state/room.js';

const connection = byId<HTMLParagraphElement>('connection');

async function main(): Promise<void> {
  const config = await loadPageConfig();
  const topics = makeTopics(config.prefix);
  const room = connectRoom(brokerUrlFor(config, location.hostname), [...roomFilters(topics), topics.tempo]);

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
      lower: byId('pad-lower'),
      higher: byId('pad-higher'),
      range: byId('pad-range'),
    },
    (instrument, value) => room.playValue(topics.instrument(instrument), value),
    (instrument) => topics.instrument(instrument),
  );

  tickingConnection()(room.state$).subscribe((state) => {
    connection.dataset.state = state.state;
    setText(connection, describeConnection(state));
  });

  const events$ = roomEvents(topics)(room.messages$).pipe(share());

  // Sound first: a note's voice starts before the page spends time redrawing.
  events$
    .pipe(filter((e): e is Extract<RoomEvent, { kind: 'note' }> => e.kind === 'note'))
    .subscribe((event) => sound.play(event.note, event.at));
  // "Record" keeps the note events as they arrive; "Download .mid" makes the file in the browser.
  const recordControl = new RecordControl(byId('record-controls'));
  events$
    .pipe(filter((e): e is Extract<RoomEvent, { kind: 'note' }> => e.kind === 'note'))
    .subscribe((event) => recordControl.heard(event.note, event.at));
  // The pad's status line: which of its values came back as notes, or were refused.
  events$.subscribe((event) => {
    if (event.kind === 'note') pad.noteArrived(event.note, event.at);
    else if (event.kind === 'rejection') pad.rejectionArrived(event.rejection, performance.now());
  });

  const state$ = roomState(events$);

  const lanes$ = state$.pipe(
    map((s) => s.lanes),
    distinctUntilChanged(),
  );
  lanes$.subscribe((lanes) => lanesView.render(lanes));
  // One polite summary for screen readers instead of sixteen live lanes, at most every 2 s.
  const summary = byId<HTMLParagraphElement>('room-summary');
  events$
    .pipe(
      filter((e): e is Extract<RoomEvent, { kind: 'note' }> => e.kind === 'note'),
      withLatestFrom(lanes$),
      map(([{ note }, lanes]) => {
        const lane = lanes.find((l) => l.instrument === note.instrument);
        return `${lane?.name ?? `Instrument ${note.instrument}`} played ${playedName(note, lane?.drums ?? false)}`;
      }),
      throttleTime(2_000, undefined, { leading: true, trailing: true }),
    )
    .subscribe((text) => setText(summary, text));
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
  // While the page has no broker it cannot vouch for any service: each shows "unknown".
  const health$ = serviceHealth(merge(events$, linkEvents(room.state$)));
  combineLatest([state$.pipe(map((s) => s.stats)), health$])
    .pipe(distinctUntilChanged((a, b) => a[0] === b[0] && a[1] === b[1]))
    .subscribe(([stats, health]) => {
      const shown = shownStatuses(health);
      renderServices(byId('services'), shown, stats);
      setText(byId('services-summary'), servicesSummary(shown, stats));
    });
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

  // The room's beat, while a service has set a tempo (retained on `tempo`).
  const beat = new BeatView(byId('beat'));
  room.messages$.pipe(filter((m) => m.topic === topics.tempo)).subscribe((m) => {
    const tempo = tempoOf(m.text);
    if (tempo === undefined) return;
    beat.setTempo(tempo);
    pad.setTempo(tempo);
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
