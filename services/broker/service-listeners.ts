import { topicMatcher } from '../../shared/topics.js';

/**
 * Which topic filters our services listen on, by client id, to tell whether an instrument value
 * or note event has anyone to go to. A persistent session (clean: false) keeps listening while
 * its client is away: the broker queues for it, so those messages are not unheard.
 */
export class ServiceListeners {
  private readonly byClient = new Map<string, Map<string, (topic: string) => boolean>>();

  add(clientId: string, filter: string): void {
    let filters = this.byClient.get(clientId);
    if (!filters) this.byClient.set(clientId, (filters = new Map()));
    if (!filters.has(filter)) filters.set(filter, topicMatcher(filter));
  }

  remove(clientId: string, filter: string): void {
    const filters = this.byClient.get(clientId);
    filters?.delete(filter);
    if (filters?.size === 0) this.byClient.delete(clientId);
  }

  /** The client left and its session ended with it (clean session), or it started afresh. */
  forget(clientId: string): void {
    this.byClient.delete(clientId);
  }

  heard(topic: string): boolean {
    for (const filters of this.byClient.values()) {
      for (const matches of filters.values()) if (matches(topic)) return true;
    }
    return false;
  }
}
