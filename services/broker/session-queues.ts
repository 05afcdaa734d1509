import memoryModule from 'aedes-persistence';

// A CommonJS module whose types describe an ES default export: at run time the import is the function.
const memory = memoryModule as unknown as () => unknown;

interface Sub {
  clientId: string;
}
interface Persistence {
  broker?: { clients: Record<string, unknown> };
  outgoingEnqueue(sub: Sub, packet: unknown): Promise<void>;
  outgoingEnqueueCombi(subs: Sub[], packet: unknown): Promise<void>;
  outgoingClearMessageId(client: Sub | { id: string }, packet: unknown): Promise<unknown>;
}

export interface SessionQueues {
  /** Handed to aedes as its `persistence`. */
  readonly persistence: unknown;
  /** QoS 1 messages held for persistent sessions (queued, or sent and not yet acknowledged). */
  held(): number;
}

/**
 * aedes' in-memory persistence, with a bound on what it holds for a persistent session whose
 * client is away: a mapper or synth that never comes back must not grow the broker without end.
 * Past `maxPerSession` held messages a new one is not queued for that client, and `onDrop` counts
 * it. A connected client's messages are always kept (they are in flight, cleared by its PUBACK;
 * aedes fails a delivery whose packet it cannot find).
 */
export function boundedSessionQueues(maxPerSession: number, onDrop: () => void): SessionQueues {
  const persistence = memory() as Persistence;
  const counts = new Map<string, number>();
  const enqueue = persistence.outgoingEnqueue.bind(persistence);
  const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
  const clear = persistence.outgoingClearMessageId.bind(persistence);

  const admit = (sub: Sub): boolean => {
    const held = counts.get(sub.clientId) ?? 0;
    if (held >= maxPerSession && !persistence.broker?.clients[sub.clientId]) {
      onDrop();
      return false;
    }
    counts.set(sub.clientId, held + 1);
    return true;
  };

  persistence.outgoingEnqueue = (sub, packet) => (admit(sub) ? enqueue(sub, packet) : Promise.resolve());
  persistence.outgoingEnqueueCombi = (subs, packet) => {
    const admitted = subs.filter(admit);
    return admitted.length > 0 ? enqueueCombi(admitted, packet) : Promise.resolve();
  };
  persistence.outgoingClearMessageId = async (client, packet) => {
    const cleared = await clear(client, packet);
    const id = 'id' in client ? client.id : client.clientId;
    const held = counts.get(id);
    if (cleared && held !== undefined) {
      if (held <= 1) counts.delete(id);
      else counts.set(id, held - 1);
    }
    return cleared;
  };

  return {
    persistence,
    held: () => {
      let total = 0;
      for (const n of counts.values()) total += n;
      return total;
    },
  };
}
