import { distinctUntilChanged, map, merge, share } from 'rxjs';
import { brokerUrlFor, JOIN_QR_PATH, type PageConfig } from '../../shared/contract/page-config.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { connectRoom } from '../connection.js';
import { loadPageConfig } from '../load-page-config.js';
import { describeConnection } from '../state/backoff.js';
import { linkEvents, serviceHealth } from '../state/health.js';
import { tickingConnection } from '../state/countdown.js';
import { roomFilters } from '../state/decode.js';
import { roomFullText } from '../state/room-full.js';
import { roomEvents } from '../state/room-state.js';
import { byId, el, setText } from '../view/dom.js';
import { StageLanesView } from './lanes-stage-view.js';
import { GUTTER_PX, timeLabels } from './roll-grid.js';
import { awayText } from './stage-lines.js';
import { emptyStage, lanesOnStage, stageState, type StageState } from './stage-state.js';
import { WashView } from './wash-view.js';

const connection = byId<HTMLParagraphElement>('connection');

/** A status line shows its text, or hides when there is none. */
const showLine = (node: HTMLElement) => (text: string) => {
  setText(node, text);
  node.hidden = text === '';
};

function showJoin(config: PageConfig): void {
  const url = byId<HTMLParagraphElement>('join-url');
  const qr = byId<HTMLImageElement>('join-qr');
  if (!config.joinUrl) {
    // The visualiser knew no LAN address: the one this screen used is the best there is.
    setText(url, `${location.origin}/`);
    return;
  }
  setText(url, config.joinUrl);
  qr.alt = `QR code for ${config.joinUrl}`;
  qr.src = JOIN_QR_PATH;
  qr.hidden = false;
}

function showTimeScale(): void {
  const ticks = byId<HTMLDivElement>('time-ticks');
  ticks.style.setProperty('--gutter', `${GUTTER_PX}px`);
  ticks.replaceChildren(
    ...timeLabels().map(({ at, label }) => {
      const tick = el('span', { class: 'tick' }, label);
      tick.style.setProperty('--at', String(at));
      return tick;
    }),
  );
}

async function main(): Promise<void> {
  const config = await loadPageConfig();
  showJoin(config);
  showTimeScale();
  const topics = makeTopics(config.prefix);
  const room = connectRoom(brokerUrlFor(config, location.hostname), roomFilters(topics));
  addEventListener('pagehide', () => room.close());

  tickingConnection()(room.state$).subscribe((state) => {
    connection.dataset.state = state.state;
    showLine(connection)(state.state === 'connected' ? '' : describeConnection(state));
  });

  const events$ = roomEvents(topics)(room.messages$).pipe(share());
  const state$ = stageState(events$);
  let stage: StageState = emptyStage;
  state$.subscribe((s) => (stage = s));
  state$
    .pipe(
      map((s) => roomFullText(s.room.stats['broker'])),
      distinctUntilChanged(),
    )
    .subscribe(showLine(byId('room-full')));
  serviceHealth(merge(events$, linkEvents(room.state$)))
    .pipe(map(awayText), distinctUntilChanged())
    .subscribe(showLine(byId('away')));

  const motion = matchMedia('(prefers-reduced-motion: reduce)');
  const lanes = new StageLanesView(byId('stage-lanes'));
  const wash = new WashView(byId('wash'));
  const idle = byId<HTMLParagraphElement>('idle');
  document.body.dataset.motion = motion.matches ? 'reduced' : 'full';
  motion.addEventListener('change', () => (document.body.dataset.motion = motion.matches ? 'reduced' : 'full'));

  const frame = (now: number) => {
    const onStage = lanesOnStage(stage, now, motion.matches);
    lanes.draw(onStage, now);
    if (idle.hidden !== onStage.length > 0) idle.hidden = onStage.length > 0;
    wash.draw(stage.hits, onStage, now, motion.matches);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

main().catch((error: unknown) => {
  connection.dataset.state = 'failed';
  showLine(connection)(describeConnection({ state: 'failed', reason: (error as Error).message }));
});
