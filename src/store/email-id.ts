import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.js';

/** Largest value of the 12-bit counter (RFC 9562 `rand_a`). */
const MAX_COUNTER = 0xfff;
/** A clock this far behind the last id's time was set back: start again from it. */
const MAX_AHEAD_MS = 1000;

/** Time and counter of the last id this process made. */
const last = { ms: -1, counter: 0 };

/**
 * A new email id: a UUID version 7 (RFC 9562): 48 bits of the clock's epoch
 * milliseconds, a 12-bit counter, then 62 random bits. Ids sort by creation
 * time, so the primary-key and claim indexes are written and purged in order
 * (random ids make each insert touch a random index page; on SQLite that
 * roughly doubles the cost of large inserts and purges).
 *
 * Ids made by one process are strictly increasing (RFC 9562 §6.2, method 1):
 * within one millisecond the counter goes up; when it runs out the time field
 * moves one millisecond ahead. Across processes the random bits keep ids
 * unique. They come from `crypto.randomUUID()` (pooled randomness, about ten
 * times cheaper than `randomBytes(16)` per id), whose RFC variant bits are kept.
 */
export function newEmailId(clock: Clock): string {
  const now = Math.max(0, Math.trunc(clock.now().toMillis())) % 2 ** 48;
  if (now > last.ms || last.ms - now > MAX_AHEAD_MS) {
    last.ms = now;
    last.counter = 0;
  } else if (last.counter < MAX_COUNTER) {
    last.counter += 1;
  } else {
    last.ms += 1;
    last.counter = 0;
  }
  const time = last.ms.toString(16).padStart(12, '0');
  const counter = last.counter.toString(16).padStart(3, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V carrying the RFC variant.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter}${randomUUID().slice(18)}`;
}
