import { silentLogger, type Logger } from './logger.js';

/** Options of a {@link TypedEventEmitter}. */
export interface TypedEventEmitterOptions {
  /** Where a listener's exception (or rejected promise) is logged, at error level. @default silentLogger */
  logger?: Logger;
}

type Listener = (payload: never) => unknown;

/**
 * A typed event emitter: event names and payloads checked by the compiler. Listeners are
 * isolated: one that throws (or returns a promise that rejects) is logged and the others
 * still run, so an event listener never stops the work that emits the event.
 */
export class TypedEventEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();
  private readonly logger: Logger;

  constructor(options: TypedEventEmitterOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Subscribes; returns the unsubscribe function. */
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Calls every listener of `event` with `payload`, synchronously; never throws a listener's exception. */
  emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set] as ((payload: Events[E]) => unknown)[]) {
      try {
        const result = listener(payload);
        if (isThenable(result)) result.then(undefined, (error: unknown) => this.listenerFailed(event, error));
      } catch (error) {
        this.listenerFailed(event, error);
      }
    }
  }

  private listenerFailed(event: string, error: unknown): void {
    this.logger.error({ err: error, event }, `a "${event}" event listener threw; the other listeners and the work that emitted the event went on`);
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
