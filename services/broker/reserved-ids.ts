/** The names OpenWest services connect with: their client ids are `<name>-…` (shared/runtime/service.ts, shared/runtime/session.ts). */
export const SERVICE_NAMES = ['broker', 'mapper', 'synth', 'sensor', 'visualiser', 'player'] as const;

const SERVICE_NAMESPACE = new RegExp(`^(?:${SERVICE_NAMES.join('|')})-`);

/**
 * Client ids the audience may not use, so nobody in the room can kick a service off its
 * connection (the broker hands an id to whoever connects with it last) or wipe its persistent
 * session: the services' namespace (`mapper-…`, `synth-…`), and any id a service login has used
 * on this broker (a custom `MQTT_SESSION` tag, a hand-made service id).
 */
export class ReservedIds {
  private readonly used = new Set<string>();

  constructor(private readonly max = 10_000) {}

  /** A service logged in with this id. */
  add(clientId: string): void {
    // Service logins are few; the cap only keeps a misbehaving service from growing the set.
    if (this.used.size >= this.max) this.used.delete(this.used.values().next().value!);
    this.used.add(clientId);
  }

  /** Why the audience may not use `clientId`, or undefined if it may. */
  refusal(clientId: string): string | undefined {
    if (SERVICE_NAMESPACE.test(clientId))
      return `client ids starting with ${SERVICE_NAMES.map((n) => `${n}-`).join(', ')} are reserved for services`;
    if (this.used.has(clientId)) return 'that client id belongs to a service';
    return undefined;
  }
}
