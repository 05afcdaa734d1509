import { topicMatcher } from '../../shared/contract/topics.js';

interface Listener {
  /** Connected now. */
  online: boolean;
  /** A persistent session (clean: false): the broker keeps its QoS 1 messages while it is away. */
  persistent: boolean;
  filters: Map<string, { matches: (topic: string) => boolean; qos: number }>;
}

/**
 * Which topic filters our services listen on, by client id, to tell whether an instrument value
 * or note event has anyone to go to. A service that is connected hears everything it subscribed
 * to; one away with a persistent session hears only what the broker keeps for it: a message
 * delivered at QoS 1 (the lower of the publish's and the subscription's QoS). A QoS 0 value
 * meant only for a service that is away reaches nobody.
 */
export class ServiceListeners {
  private readonly byClient = new Map<string, Listener>();

  connected(clientId: string, persistent: boolean): void {
    const known = this.byClient.get(clientId);
    if (known && persistent) known.online = true;
    else if (known) this.byClient.delete(clientId); // a clean session starts with no subscriptions
  }

  disconnected(clientId: string): void {
    const known = this.byClient.get(clientId);
    if (!known) return;
    if (known.persistent) known.online = false;
    else this.byClient.delete(clientId);
  }

  add(clientId: string, persistent: boolean, filter: string, qos: number): void {
    let known = this.byClient.get(clientId);
    if (!known) this.byClient.set(clientId, (known = { online: true, persistent, filters: new Map() }));
    known.filters.set(filter, { matches: topicMatcher(filter), qos });
  }

  remove(clientId: string, filter: string): void {
    const known = this.byClient.get(clientId);
    known?.filters.delete(filter);
    if (known?.filters.size === 0) this.byClient.delete(clientId);
  }

  heard(topic: string, qos: number): boolean {
    for (const { online, persistent, filters } of this.byClient.values()) {
      if (!online && !(persistent && qos > 0)) continue;
      for (const filter of filters.values()) {
        if (filter.matches(topic) && (online || filter.qos > 0)) return true;
      }
    }
    return false;
  }
}
