/** A tiny typed event emitter: `on` returns the function that unsubscribes. */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private handlers = new Map<keyof Events, Set<(e: never) => void>>();

  on<K extends keyof Events>(type: K, fn: (e: Events[K]) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(fn as (e: never) => void);
    return () => set!.delete(fn as (e: never) => void);
  }

  emit<K extends keyof Events>(type: K, e: Events[K]): void {
    for (const fn of this.handlers.get(type) ?? []) {
      try {
        (fn as (e: Events[K]) => void)(e);
      } catch (err) {
        // one broken listener must not stop the chart or the other listeners
        console.error('metricgl: event listener failed', err);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
