/** What a scenario started, stopped in reverse order however the scenario ends. */
export class Scope {
  private readonly stops: (() => unknown)[] = [];

  add<T extends { stop(): Promise<unknown> } | { close(): Promise<unknown> }>(thing: T): T {
    this.stops.push(() => ('stop' in thing ? thing.stop() : thing.close()));
    return thing;
  }

  onClose(stop: () => unknown): void {
    this.stops.push(stop);
  }

  async close(): Promise<void> {
    for (const stop of this.stops.reverse()) {
      try {
        await stop();
      } catch {
        // keep stopping the rest
      }
    }
    this.stops.length = 0;
  }
}
