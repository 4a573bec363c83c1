/** The throttle window: a per-minute limit counts sends in the last 60 seconds. */
export const THROTTLE_WINDOW_MS = 60_000;

/** What the throttle knows when an email is due. */
export interface ThrottleInput {
  /** Per-minute limit of the provider; 0 = no limit. */
  limit: number;
  /** Start times (epoch ms) of this provider's non-forced sends, any order. */
  sentTimesMs: readonly number[];
  /** The current instant (epoch ms). */
  nowMs: number;
  /** How often this email was deferred already. */
  deferrals: number;
  /** Deferrals after which the email is sent even over the limit. */
  maxDeferrals: number;
}

/** Send now, send over the limit (forced), or wait until a slot frees. */
export type ThrottleDecision = { action: 'send' } | { action: 'force' } | { action: 'defer'; untilMs: number };

/**
 * The reference system's rule, as a pure function: with L sends in the last
 * 60 s the email is deferred until the window frees a slot (never more than
 * 60 s later); an email already deferred `maxDeferrals` times is sent anyway.
 */
export function throttleDecision(input: ThrottleInput): ThrottleDecision {
  if (input.limit <= 0) return { action: 'send' };
  const windowStart = input.nowMs - THROTTLE_WINDOW_MS;
  const inWindow = input.sentTimesMs.filter((t) => t > windowStart).sort((a, b) => a - b);
  if (inWindow.length < input.limit) return { action: 'send' };
  if (input.deferrals >= input.maxDeferrals) return { action: 'force' };
  // The slot frees when enough of the oldest sends leave the window.
  const freeing = inWindow[inWindow.length - input.limit] as number;
  return { action: 'defer', untilMs: Math.min(freeing + THROTTLE_WINDOW_MS, input.nowMs + THROTTLE_WINDOW_MS) };
}
