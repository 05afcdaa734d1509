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
  outgoingUpdate(client: { id: string }, packet: unknown): Promise<void>;
}

export interface SessionQueues {
  /** Handed to aedes as its `persistence`. */
  readonly persistence: unknown;
  /** QoS 1 messages held for persistent sessions (queued, or sent and not yet acknowledged). */
  held(): number;
  /** The same, for the sessions whose clients are connected now. */
  heldForConnected(): number;
}

/**
 * aedes' in-memory persistence, with a bound on what it holds for a persistent session whose
 * client is away: a mapper or synth that never comes back must not grow the broker without end.
 * Past `maxPerSession` held messages a new one is not queued for that client, and `onDrop` counts
 * it. A connected client's messages are always kept (they are in flight, cleared by its PUBACK).
 *
 * aedes closes a client's connection when it cannot find a packet it is about to send in the
 * store ("no such packet"): a session coming back under a flood raced its queue against live
 * deliveries and lost its connection about one time in two, and a message not queued because
 * the session was full (the client reconnecting at that instant) did the same. Such a packet is
 * sent untracked instead: at worst the client gets again a message it already acknowledged.
 */
export function boundedSessionQueues(maxPerSession: number, onDrop: () => void): SessionQueues {
  const persistence = memory() as Persistence;
  const counts = new Map<string, number>();
  const enqueue = persistence.outgoingEnqueue.bind(persistence);
  const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  const update = persistence.outgoingUpdate.bind(persistence);

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
  persistence.outgoingUpdate = async (client, packet) => {
    try {
      await update(client, packet);
    } catch (error) {
      if ((error as Error).message !== 'no such packet') throw error;
    }
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
    heldForConnected: () => {
      let total = 0;
      for (const [id, n] of counts) if (persistence.broker?.clients[id]) total += n;
      return total;
    },
  };
}
