import type { Clock } from './clock.js';

/**
 * A clock stopped at `source`'s current instant (waiting still goes through
 * `source`): one reading for work that happens at once, such as the records of
 * one `enqueueMany()`, instead of a new luxon `DateTime` for each of them.
 */
export function frozenClock(source: Clock): Clock {
  const instant = source.now();
  return { now: () => instant, sleep: (ms, signal) => source.sleep(ms, signal) };
}
