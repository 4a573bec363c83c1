import { decideAt, slotSchedule, type ThrottleDecision } from './throttle.js';

/** One of the first emails of the line (see {@link planThrottle}). */
export interface LineEntry {
  id: string;
  /** Deferred by the throttle (waiting for its slot), rather than due or claimed. */
  deferred: boolean;
  /** When it is due (epoch ms). */
  dueAtMs: number;
}

/** A claimed email the plan decides for. */
export interface ClaimedEntry {
  id: string;
  deferrals: number;
  /** When its last counted deferral began (epoch ms). */
  deferredAtMs?: number;
}

/** What {@link planThrottle} needs. */
export interface ThrottlePlanInput {
  /** The per-minute limit (>= 1). */
  limit: number;
  nowMs: number;
  maxDeferrals: number;
  /** Times of the window's non-forced sends and reservations (epoch ms). */
  sentTimesMs: readonly number[];
  /**
   * The first waiting emails in send order: every email waiting for the provider's
   * slots (queued and due, deferred, or claimed without a slot yet), claimed ones included;
   * at least `limit` + the number claimed of them, or all.
   */
  line: readonly LineEntry[];
  /** The emails claimed by the caller, in claim order. */
  claimed: readonly ClaimedEntry[];
}

/** A claimed email to defer. */
export interface PlannedDeferral {
  id: string;
  untilMs: number;
  /** Its deferral count after this deferral. */
  deferrals: number;
  /** When its last counted deferral began. */
  deferredAtMs: number;
}

/** The decisions for a claimed batch, and the waiting emails whose slot came sooner. */
export interface ThrottlePlan {
  /** Claimed emails with a free slot now. */
  send: string[];
  /** Claimed emails sent over the limit (they leave the line without a slot). */
  force: string[];
  defer: PlannedDeferral[];
  /** Deferred emails, not claimed, whose slot is now earlier than their due time: due then instead. */
  sooner: { id: string; dueAtMs: number }[];
}

/**
 * The throttle's decisions for a claimed batch: the k-th email of the line gets
 * the k-th slot of the window's schedule (free now, or when a send leaves the
 * window, never more than 60 s away), so waiting emails do not all wait for the
 * first slot to free. A forced email leaves the line and the emails behind it move
 * up; a deferred email not claimed whose slot came sooner (a send failed, an email
 * was forced or cancelled) is made due then, so no email waits while the window has
 * room. Claimed emails beyond the given line have no slot within a minute.
 */
export function planThrottle(input: ThrottlePlanInput): ThrottlePlan {
  const { limit, nowMs, maxDeferrals, sentTimesMs, line } = input;
  const slotAt = slotSchedule(limit, sentTimesMs, nowMs);
  const claimed = new Map(input.claimed.map((c) => [c.id, c]));
  const plan: ThrottlePlan = { send: [], force: [], defer: [], sooner: [] };
  const apply = (email: ClaimedEntry, decision: ThrottleDecision): void => {
    claimed.delete(email.id);
    if (decision.action === 'send') plan.send.push(email.id);
    else if (decision.action === 'force') plan.force.push(email.id);
    else plan.defer.push({ id: email.id, untilMs: decision.untilMs, deferrals: decision.deferrals, deferredAtMs: decision.deferredAtMs });
  };
  const decide = (email: ClaimedEntry, place: number): ThrottleDecision => decideAt(slotAt, place, { nowMs, maxDeferrals, deferrals: email.deferrals, ...(email.deferredAtMs !== undefined ? { deferredAtMs: email.deferredAtMs } : {}) });

  let left = 0; // forced emails ahead, gone from the line
  line.forEach((entry, index) => {
    const place = index + 1 - left;
    const mine = claimed.get(entry.id);
    if (mine !== undefined) {
      const decision = decide(mine, place);
      if (decision.action === 'force') left += 1;
      apply(mine, decision);
    } else if (entry.deferred) {
      const slot = slotAt(place);
      if (slot < entry.dueAtMs) plan.sooner.push({ id: entry.id, dueAtMs: slot });
    }
  });
  for (const email of [...claimed.values()]) apply(email, decide(email, Number.POSITIVE_INFINITY));
  return plan;
}
