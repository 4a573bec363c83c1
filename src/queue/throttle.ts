/** The throttle window: a per-minute limit counts sends in the last 60 seconds. */
export const THROTTLE_WINDOW_MS = 60_000;

/**
 * When each slot of the window is free, as a function of the place in the line
 * (1 for the first waiting email): with n sends in the window at t(1) ≤ … ≤ t(n)
 * and a limit L, the first L − n places are free now; place k ≤ L frees when
 * the send t(n − L + k) leaves the window, at t(n − L + k) + 60 s; a place
 * beyond L has no slot within the next 60 s (it is given `nowMs + windowMs`,
 * the longest a deferral lasts).
 * @param limit - the per-minute limit (>= 1)
 * @param sentTimesMs - start times (epoch ms) of the window's non-forced sends, any order
 */
export function slotSchedule(limit: number, sentTimesMs: readonly number[], nowMs: number, windowMs = THROTTLE_WINDOW_MS): (place: number) => number {
  const windowStart = nowMs - windowMs;
  const inWindow = sentTimesMs.filter((t) => t > windowStart).sort((a, b) => a - b);
  const free = limit - inWindow.length;
  return (place) => {
    if (place <= free) return nowMs;
    if (place > limit) return nowMs + windowMs;
    return Math.min((inWindow[inWindow.length - limit + place - 1] as number) + windowMs, nowMs + windowMs);
  };
}

/** What the throttle knows when an email is due. */
export interface ThrottleInput {
  /** Per-minute limit of the provider; 0 = no limit. */
  limit: number;
  /** Start times (epoch ms) of this provider's non-forced sends, any order. */
  sentTimesMs: readonly number[];
  /** The current instant (epoch ms). */
  nowMs: number;
  /** How often this email was deferred already (deferrals counted, see {@link ThrottleDecision}). */
  deferrals: number;
  /** Deferrals after which the email is sent even over the limit. */
  maxDeferrals: number;
  /**
   * The email's place among the emails waiting for this provider's slots (1 = first),
   * in send order: priority, then creation. The k-th waiting email waits for the k-th slot.
   * @default 1
   */
  place?: number;
  /** When the email's last counted deferral began (epoch ms); absent when it has none. @default undefined */
  deferredAtMs?: number;
}

/**
 * Send now; send over the limit (forced); or wait until `untilMs`, when the email's
 * slot frees (never more than 60 s). A deferral counts (`deferrals` goes up by one,
 * `deferredAtMs` becomes now) when the email's last counted deferral began at least
 * 60 s ago, or it has none; a deferral sooner than that (its slot was taken meanwhile,
 * by a higher-priority email or a send that ended later than planned) continues the
 * same one. So ten deferrals mean at least nine minutes of waiting.
 */
export type ThrottleDecision = { action: 'send' } | { action: 'force' } | { action: 'defer'; untilMs: number; deferrals: number; deferredAtMs: number };

/**
 * The reference system's rule, as a pure function: a send that cannot happen
 * because L sends already happened in the last 60 s is deferred for up to one
 * minute, until the slot of its place in line frees; after `maxDeferrals`
 * deferrals it is sent even though the limit is reached.
 */
export function throttleDecision(input: ThrottleInput): ThrottleDecision {
  if (input.limit <= 0) return { action: 'send' };
  return decideAt(slotSchedule(input.limit, input.sentTimesMs, input.nowMs), input.place ?? 1, input);
}

/** The decision for the email at `place` with the window's schedule `slotAt`. */
export function decideAt(slotAt: (place: number) => number, place: number, email: Pick<ThrottleInput, 'nowMs' | 'deferrals' | 'maxDeferrals' | 'deferredAtMs'>): ThrottleDecision {
  const { nowMs, deferrals, maxDeferrals, deferredAtMs } = email;
  const untilMs = slotAt(place);
  if (untilMs <= nowMs) return { action: 'send' };
  // The current deferral (up to one minute) is still running: wait on, without counting another.
  const running = deferrals > 0 && deferredAtMs !== undefined && nowMs - deferredAtMs < THROTTLE_WINDOW_MS;
  if (running) return { action: 'defer', untilMs: Math.min(untilMs, deferredAtMs + THROTTLE_WINDOW_MS), deferrals, deferredAtMs };
  if (deferrals >= maxDeferrals) return { action: 'force' };
  return { action: 'defer', untilMs, deferrals: deferrals + 1, deferredAtMs: nowMs };
}
