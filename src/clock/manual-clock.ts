import { DateTime, type DurationLike, Duration } from 'luxon';
import type { Clock } from './clock.js';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told to: for tests and simulations.
 * `sleep()` resolves when {@link ManualClock.advance} passes its wake time.
 */
export class ManualClock implements Clock {
  private current: DateTime;
  private sleepers: Sleeper[] = [];

  constructor(start: DateTime | string = '2026-01-01T00:00:00.000Z') {
    this.current = typeof start === 'string' ? DateTime.fromISO(start, { zone: 'utc' }) : start.toUTC();
  }

  now(): DateTime {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = { wakeAt: this.current.toMillis() + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance(by: DurationLike): void {
    this.set(this.current.plus(Duration.fromDurationLike(by)));
  }

  /** Jumps to an instant (never backwards). */
  set(to: DateTime): void {
    if (to < this.current) throw new RangeError('ManualClock cannot go backwards');
    this.current = to.toUTC();
    const due = this.sleepers.filter((s) => s.wakeAt <= this.current.toMillis());
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.current.toMillis());
    for (const s of due) s.resolve();
  }

  /** Number of pending sleeps (useful to await a worker reaching its wait). */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}
