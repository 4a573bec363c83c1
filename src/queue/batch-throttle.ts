import type { EmailRecord } from '../store/email-record.js';
import type { Store } from '../store/store.js';
import { THROTTLE_WINDOW_MS, throttleDecision, type ThrottleDecision } from './throttle.js';

/** What the throttle needs to know about a claimed batch. */
export interface BatchThrottleInput {
  claimed: readonly EmailRecord[];
  providerId: string;
  /** The provider's per-minute limit (0 = none). */
  limit: number;
  nowMs: number;
  maxDeferrals: number;
}

/**
 * The throttle decision for each email of a claimed batch. Slots are reserved
 * in the store, so every worker sharing it counts the same window; an email
 * without a slot waits for one, or is forced after `maxDeferrals`.
 */
export async function batchThrottle(store: Pick<Store, 'reserveSends'>, input: BatchThrottleInput): Promise<(record: EmailRecord) => ThrottleDecision> {
  const { claimed, providerId, limit, nowMs, maxDeferrals } = input;
  if (limit <= 0) return () => ({ action: 'send' });
  const slots = await store.reserveSends({ providerId, emailIds: claimed.map((r) => r.id), now: nowMs, windowMs: THROTTLE_WINDOW_MS, limit });
  const reserved = new Set(slots.reserved);
  return (record) =>
    reserved.has(record.id) ? { action: 'send' } : throttleDecision({ limit, sentTimesMs: slots.sentTimesMs, nowMs, deferrals: record.deferrals, maxDeferrals });
}
