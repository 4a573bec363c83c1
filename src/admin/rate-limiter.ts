import type { Clock } from '../clock/clock.js';

/** At most `limit` events in any minute (a sliding window), by the injected clock. */
export class RateLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Takes a slot: 0 when taken, else the seconds until one frees. */
  take(): number {
    const now = this.clock.now().toMillis();
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) return Math.max(1, Math.ceil((this.times[0]! + this.windowMs - now) / 1000));
    this.times.push(now);
    return 0;
  }
}
