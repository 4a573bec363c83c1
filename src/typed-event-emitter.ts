import { EventEmitter } from 'node:events';

/** A typed event emitter: event names and payloads checked by the compiler. */
export class TypedEventEmitter<Events extends object> {
  private readonly emitter = new EventEmitter();

  /** Subscribes; returns the unsubscribe function. */
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Calls every listener of `event` with `payload`, synchronously. */
  emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    this.emitter.emit(event, payload);
  }
}
