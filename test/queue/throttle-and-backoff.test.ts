import { retryDelayMs } from '../../src/queue/backoff.js';
import { throttleDecision } from '../../src/queue/throttle.js';

describe('throttleDecision', () => {
  const now = 1_000_000;
  const sends = (count: number, startMs: number, stepMs: number): number[] => Array.from({ length: count }, (_, i) => startMs + i * stepMs);

  it('no limit: always send', () => {
    expect(throttleDecision({ limit: 0, sentTimesMs: sends(500, now - 1000, 1), nowMs: now, deferrals: 0, maxDeferrals: 10 })).toEqual({ action: 'send' });
  });

  it('under the limit: send; sends older than 60 s do not count', () => {
    expect(throttleDecision({ limit: 30, sentTimesMs: sends(29, now - 30_000, 100), nowMs: now, deferrals: 0, maxDeferrals: 10 })).toEqual({ action: 'send' });
    expect(throttleDecision({ limit: 30, sentTimesMs: sends(100, now - 200_000, 1000).filter((t) => t <= now - 60_000), nowMs: now, deferrals: 0, maxDeferrals: 10 })).toEqual({ action: 'send' });
  });

  it('at the limit: defer until exactly the moment a slot frees, never more than 60 s; the deferral counts', async () => {
    const window = sends(30, now - 50_000, 1000); // oldest 50 s ago
    expect(throttleDecision({ limit: 30, sentTimesMs: window, nowMs: now, deferrals: 3, maxDeferrals: 10 })).toEqual({ action: 'defer', untilMs: now + 10_000, deferrals: 4, deferredAtMs: now });
    const over = [...window, now - 100, now - 50]; // 32 in window: the third oldest must leave
    expect(throttleDecision({ limit: 30, sentTimesMs: over, nowMs: now, deferrals: 0, maxDeferrals: 10 })).toMatchObject({ action: 'defer', untilMs: now - 50_000 + 2000 + 60_000 });
  });

  it('the k-th waiting email waits for the k-th slot; beyond the limit, a full minute', () => {
    const window = [now - 10_000, now - 40_000, now - 30_000, now - 20_000]; // out of order
    const at = (place: number) => throttleDecision({ limit: 4, sentTimesMs: window, nowMs: now, deferrals: 0, maxDeferrals: 10, place });
    expect([1, 2, 3, 4, 5, 9].map((place) => (at(place) as { untilMs: number }).untilMs - now)).toEqual([20_000, 30_000, 40_000, 50_000, 60_000, 60_000]);
    // Two free slots: places 1 and 2 send now, place 3 waits for the oldest send to leave.
    const two = [now - 10_000, now - 40_000];
    expect([1, 2, 3].map((place) => throttleDecision({ limit: 4, sentTimesMs: two, nowMs: now, deferrals: 0, maxDeferrals: 10, place }))).toEqual([
      { action: 'send' },
      { action: 'send' },
      { action: 'defer', untilMs: now + 20_000, deferrals: 1, deferredAtMs: now },
    ]);
  });

  it('a send exactly 60 s old has left the window', () => {
    expect(throttleDecision({ limit: 1, sentTimesMs: [now - 60_000], nowMs: now, deferrals: 0, maxDeferrals: 10 })).toEqual({ action: 'send' });
    expect(throttleDecision({ limit: 1, sentTimesMs: [now - 59_999], nowMs: now, deferrals: 0, maxDeferrals: 10 })).toMatchObject({ action: 'defer', untilMs: now + 1 });
  });

  it('a deferral lasts up to a minute: deferred again within it (its slot was taken), it waits on without counting, never past the minute', () => {
    const full = sends(2, now - 10_000, 5000); // slots free at +50 s and +55 s
    const base = { limit: 2, sentTimesMs: full, nowMs: now, maxDeferrals: 10 };
    expect(throttleDecision({ ...base, deferrals: 4, deferredAtMs: now - 30_000 })).toEqual({ action: 'defer', untilMs: now + 30_000, deferrals: 4, deferredAtMs: now - 30_000 });
    expect(throttleDecision({ ...base, deferrals: 4, deferredAtMs: now - 59_999 })).toEqual({ action: 'defer', untilMs: now + 1, deferrals: 4, deferredAtMs: now - 59_999 });
    expect(throttleDecision({ ...base, deferrals: 4, deferredAtMs: now - 60_000 })).toEqual({ action: 'defer', untilMs: now + 50_000, deferrals: 5, deferredAtMs: now });
    // Without a recorded start (an email deferred before this rule), a deferral counts.
    expect(throttleDecision({ ...base, deferrals: 4 })).toMatchObject({ deferrals: 5 });
  });

  it('after maxDeferrals deferrals the email is forced, once its last deferral is over', () => {
    const full = sends(30, now - 10_000, 10);
    expect(throttleDecision({ limit: 30, sentTimesMs: full, nowMs: now, deferrals: 9, maxDeferrals: 10 }).action).toBe('defer');
    expect(throttleDecision({ limit: 30, sentTimesMs: full, nowMs: now, deferrals: 10, maxDeferrals: 10 })).toEqual({ action: 'force' });
    expect(throttleDecision({ limit: 30, sentTimesMs: full, nowMs: now, deferrals: 10, maxDeferrals: 10, deferredAtMs: now - 60_000 })).toEqual({ action: 'force' });
    expect(throttleDecision({ limit: 30, sentTimesMs: full, nowMs: now, deferrals: 10, maxDeferrals: 10, deferredAtMs: now - 1000 }).action).toBe('defer');
    expect(throttleDecision({ limit: 30, sentTimesMs: full, nowMs: now, deferrals: 0, maxDeferrals: 0 })).toEqual({ action: 'force' });
    // With a free slot it is sent, not forced.
    expect(throttleDecision({ limit: 31, sentTimesMs: full, nowMs: now, deferrals: 10, maxDeferrals: 10 })).toEqual({ action: 'send' });
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially with equal jitter and a cap', () => {
    const low = { baseMs: 1000, maxMs: 8000, random: () => 0 };
    const high = { ...low, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, low))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, high))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('never retries sooner than Retry-After', () => {
    expect(retryDelayMs(1, { baseMs: 1000, random: () => 0 }, 30)).toBe(30_000);
    expect(retryDelayMs(6, { baseMs: 1000, random: () => 0 }, 1)).toBe(16_000);
  });
});
