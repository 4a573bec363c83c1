import type { EmailRecord } from '../store/email-record.js';
import type { DeferredEmail, Store } from '../store/store.js';
import { THROTTLE_WINDOW_MS } from './throttle.js';

/** What the throttle needs to know about a claimed batch. */
export interface BatchThrottleInput {
  claimed: readonly EmailRecord[];
  providerId: string;
  /** The provider's per-minute limit (0 = none). */
  limit: number;
  nowMs: number;
  maxDeferrals: number;
  /** The worker id the batch was claimed with. */
  owner: string;
}

/** What became of a claimed batch: send these (forced or not); these were deferred (and stored so). */
export interface BatchThrottle {
  /** The emails to send now, in claim order, each with whether it goes over the limit. */
  sends: { record: EmailRecord; forced: boolean }[];
  /** The emails deferred until their slot: already stored `deferred`. */
  deferred: { record: EmailRecord; deferral: DeferredEmail }[];
}

/**
 * The throttle for a claimed batch, in one store call per batch: slots are taken
 * in the store, so every worker sharing it counts the same window and the same
 * line; the k-th waiting email waits for the k-th slot, or is forced after
 * `maxDeferrals`. A claimed email the store no longer leases to this worker is in
 * neither list (another worker took it over).
 */
export async function batchThrottle(store: Pick<Store, 'reserveSends'>, input: BatchThrottleInput): Promise<BatchThrottle> {
  const { claimed, providerId, limit, nowMs, maxDeferrals, owner } = input;
  if (limit <= 0) return { sends: claimed.map((record) => ({ record, forced: false })), deferred: [] };
  const slots = await store.reserveSends({ providerId, emailIds: claimed.map((r) => r.id), owner, now: nowMs, windowMs: THROTTLE_WINDOW_MS, limit, maxDeferrals });
  const reserved = new Set(slots.reserved);
  const forced = new Set(slots.forced);
  const deferred = new Map(slots.deferred.map((d) => [d.id, d]));
  return {
    sends: claimed.filter((r) => reserved.has(r.id) || forced.has(r.id)).map((record) => ({ record, forced: forced.has(record.id) })),
    deferred: claimed.flatMap((record) => {
      const deferral = deferred.get(record.id);
      return deferral === undefined ? [] : [{ record, deferral }];
    }),
  };
}
