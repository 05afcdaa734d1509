import type { Rejection, Stats, Status } from '../../shared/contract/contract.js';
import { keyFigures } from '../state/key-figures.js';
import { el } from './dom.js';

/** Online/offline dots per service with its key figures. */
export function renderServices(
  list: HTMLUListElement,
  services: Record<string, Pick<Status, 'state'> | { state: 'unknown' }>,
  stats: Record<string, Stats>,
): void {
  const names = [...new Set([...Object.keys(services), ...Object.keys(stats)])].sort();
  if (names.length === 0) return;
  list.replaceChildren(
    ...names.map((name) => {
      const state = services[name]?.state ?? 'unknown';
      const figures = stats[name]
        ? keyFigures(stats[name])
            .map((f) => `${f.label} ${f.value}`)
            .join(' · ')
        : '';
      return el(
        'li',
        { 'data-service': name, 'data-state': state },
        el('span', { class: 'dot', 'aria-hidden': 'true' }),
        `${name} `,
        el('span', { class: 'state' }, state),
        el('span', { class: 'figures' }, figures),
      );
    }),
  );
}

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour12: false });

/** The latest rejections, newest first, each with its reason. */
export function renderRejections(list: HTMLOListElement, rejections: readonly Rejection[]): void {
  if (rejections.length === 0) return;
  list.replaceChildren(
    ...rejections.map((r) =>
      el(
        'li',
        {},
        el('span', { class: 'reason' }, r.reason),
        el('span', { class: 'where' }, `${clock(r.at)} ${r.topic} ← ${JSON.stringify(r.payload)} (${r.service})`),
      ),
    ),
  );
}

export { servicesSummary } from '../state/services-summary.js';
