/** Options of {@link retryDelayMs}. */
export interface BackoffOptions {
  /** Delay before the second attempt (before jitter). @default 30000 */
  baseMs?: number;
  /** Longest delay. @default 1800000 (30 minutes) */
  maxMs?: number;
  /** Source of randomness in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * Delay before retrying after a transient failure of attempt `attempt` (1-based):
 * exponential (base · 2^(attempt-1), capped) with "equal jitter" — half fixed,
 * half random — so retries spread out but never come back at once. A server's
 * Retry-After is a floor. Pure: same inputs, same result.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions = {}, retryAfterSeconds?: number): number {
  const base = options.baseMs ?? 30_000;
  const max = options.maxMs ?? 1_800_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
