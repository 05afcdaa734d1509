import { isShowService } from '../../shared/contract/topics.js';

/**
 * The services panel folded to one line: "Services: 5 online" or "Services: 4 online · 1 offline",
 * worst news first (a phone needs the gist, not thirty counters). A tool that finished (the score
 * player, offline) is no news: the panel still lists it.
 */
export function servicesSummary(
  services: Record<string, { state: string }>,
  stats: Record<string, unknown> = {},
): string {
  const names = [...new Set([...Object.keys(services), ...Object.keys(stats)])].filter(
    (name) => isShowService(name) || services[name]?.state !== 'offline',
  );
  if (names.length === 0) return 'Services: none reported yet';
  const counts = new Map<string, number>();
  for (const name of names) {
    const state = services[name]?.state ?? 'unknown';
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const order = (state: string) => (state === 'online' ? 1 : 0);
  return `Services: ${[...counts]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([state, n]) => `${n} ${state}`)
    .join(' · ')}`;
}
