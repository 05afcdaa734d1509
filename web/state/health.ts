import { distinctUntilChanged, map, scan, startWith, type Observable } from 'rxjs';
import type { ConnectionState } from './backoff.js';
import type { RoomEvent } from './room.js';

/** What the page can truthfully say of a service: what its status said, or that it cannot tell. */
export type ServiceHealth = 'online' | 'offline' | 'unknown';

/** The page's own link to the broker: while it is down, no status it holds can be trusted. */
export interface LinkEvent {
  kind: 'link';
  up: boolean;
}

export type HealthByService = Readonly<Record<string, ServiceHealth>>;

/**
 * Health after one event. A status says online or offline; a service heard of only by its stats
 * is unknown. When the page loses the broker every service becomes unknown (a dead broker
 * delivers no Last Will, so the old statuses would stay green), and stays so after the link is
 * back until its status arrives again (the retained one comes right after subscribing).
 */
export function reduceHealth(health: HealthByService, event: RoomEvent | LinkEvent): HealthByService {
  switch (event.kind) {
    case 'status':
      return { ...health, [event.status.service]: event.status.state };
    case 'stats':
      return event.stats.service in health ? health : { ...health, [event.stats.service]: 'unknown' };
    case 'link':
      return event.up ? health : Object.fromEntries(Object.keys(health).map((name) => [name, 'unknown' as const]));
    default:
      return health;
  }
}

/** Connection states → link events, one per change between connected and not. */
export const linkEvents = (state$: Observable<ConnectionState>): Observable<LinkEvent> =>
  state$.pipe(
    map((c) => c.state === 'connected'),
    distinctUntilChanged(),
    map((up) => ({ kind: 'link', up }) as const),
  );

/** Room and link events → each service's health after each (starting with none known). */
export const serviceHealth = (events$: Observable<RoomEvent | LinkEvent>): Observable<HealthByService> =>
  events$.pipe(scan(reduceHealth, {} as HealthByService), startWith({} as HealthByService));

/** Each service as the services panel shows it: `{ state }` with unknown where the page cannot tell. */
export const shownStatuses = (health: HealthByService): Record<string, { state: ServiceHealth }> =>
  Object.fromEntries(Object.entries(health).map(([name, state]) => [name, { state }]));
