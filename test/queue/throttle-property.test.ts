import fc from 'fast-check';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright } from '../../src/mailwright.js';
import type { Provider } from '../../src/providers/provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';

/**
 * The per-minute limit and the ten-deferral rule as a property over schedules, on the
 * injected clock: a limit of 1–60, 1–4 workers sharing one store (each with its own run
 * interval, 1 s to 5 min, and claim batch), a backlog of 0–1,000 emails of equal priority
 * arriving at random times. `MAILWRIGHT_THROTTLE_RUNS` sets how many schedules run.
 */
const RUNS = Number(process.env.MAILWRIGHT_THROTTLE_RUNS ?? 30);
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-24T10:00:00.000Z');

interface Schedule {
  limit: number;
  workers: { everyMs: number; offsetMs: number; claimBatch: number }[];
  arrivalsMs: number[];
}

const schedules: fc.Arbitrary<Schedule> = fc.record({
  limit: fc.integer({ min: 1, max: 60 }),
  workers: fc.array(
    fc.record({
      // Half the workers run often (1–10 s), as a host calling runOnce() in a loop would.
      everyMs: fc.oneof(fc.integer({ min: 1000, max: 10_000 }), fc.integer({ min: 1000, max: 5 * MINUTE })),
      offsetMs: fc.integer({ min: 0, max: MINUTE }),
      claimBatch: fc.oneof(fc.constant(50), fc.integer({ min: 1, max: 60 })),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  arrivalsMs: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1000 })).chain((n) => fc.array(fc.integer({ min: 0, max: 3 * MINUTE }), { minLength: n, maxLength: n })),
});

/** Simulates one schedule; fails (throws) when a rule is broken. */
async function simulate({ limit, workers, arrivalsMs }: Schedule): Promise<void> {
  const clock = new ManualClock(new Date(T0).toISOString());
  const nonForcedSends: number[] = []; // send times, in order
  const sent = new Map<string, { atMs: number; forced: boolean }>();
  const forcing = new Set<string>();
  const relay: Provider = {
    id: 'relay',
    kind: 'test',
    displayName: 'Recording relay',
    interactive: false,
    batch: true,
    microsoft365: false,
    send: (message, context) => {
      if (sent.has(context.emailId)) throw new Error(`email ${context.emailId} sent twice`);
      const atMs = clock.now().toMillis();
      sent.set(context.emailId, { atMs, forced: forcing.has(context.emailId) });
      if (!forcing.has(context.emailId)) nonForcedSends.push(atMs);
      return Promise.resolve({ status: 'sent', messageId: message.messageId, recipients: [] });
    },
  };
  const mailwright = await createMailwright({ store: createSqliteStore({ filename: ':memory:', clock }), providers: [relay], users: new InMemoryUserDirectory(), clock });
  try {
    await mailwright.parameters.update({ batchProviderId: 'relay', perMinuteLimits: { relay: limit } });
    mailwright.events.on('forced', (e) => forcing.add(e.emailId));
    const arrived = new Map<string, number>(); // email id → arrival time
    const pending = [...arrivalsMs].sort((a, b) => a - b);
    const runners = workers.map((w, i) => ({ ...w, next: T0 + w.offsetMs, distributor: mailwright.createDistributor({ workerId: `worker-${i}`, claimBatch: w.claimBatch }) }));
    // Each email is looked at again at the latest a minute plus a run interval after each deferral, and
    // is sent (forced if need be) at its eleventh look: after that, an email still waiting is lost.
    const horizon = T0 + 3 * MINUTE + 12 * (MINUTE + Math.min(...workers.map((w) => w.everyMs + w.offsetMs)));
    while (pending.length > 0 || sent.size < arrived.size) {
      const now = Math.min(T0 + (pending[0] ?? Infinity), ...runners.map((r) => r.next));
      if (now > horizon) throw new Error(`${arrived.size - sent.size} emails still unsent at +${(now - T0) / 1000} s, after eleven looks each`);
      clock.set(clock.now().plus(now - clock.now().toMillis()));
      const arriving = pending.splice(0, pending.filter((a) => T0 + a <= now).length);
      if (arriving.length > 0) {
        const ids = await mailwright.enqueueMany(arriving.map((_, i) => ({ message: { from: 'batch@contoso.com', to: `c${arrived.size + i}@example.com`, subject: 'x', text: 'x' } })));
        for (const id of ids) arrived.set(id, now);
      }
      const due = runners.filter((r) => r.next <= now);
      if (due.length === 0) continue;
      await Promise.all(due.map((r) => r.distributor.runOnce()));
      for (const r of due) r.next = now + r.everyMs;
      // No email is idle while the window has room: after a run, either nothing waits or L sends are in the window.
      const inWindow = nonForcedSends.filter((t) => t > now - MINUTE).length;
      if (sent.size < arrived.size && inWindow < limit) {
        throw new Error(`at +${(now - T0) / 1000} s, ${arrived.size - sent.size} emails wait while the window holds ${inWindow} of ${limit} sends`);
      }
    }

    // Every email sent once; the history agrees.
    expect(sent.size).toBe(arrivalsMs.length);
    const records = (await mailwright.history.list({ limit: 1000 })).items;
    expect(records.filter((r) => r.status !== 'sent')).toEqual([]);
    // No 60 s window holds more than L non-forced sends.
    for (let i = 0; i + limit < nonForcedSends.length; i += 1) {
      expect(nonForcedSends[i + limit]! - nonForcedSends[i]!).toBeGreaterThanOrEqual(MINUTE);
    }
    // No email is forced before it waited 9 minutes.
    for (const [id, { atMs, forced }] of sent) {
      if (forced) expect(atMs - arrived.get(id)!).toBeGreaterThanOrEqual(9 * MINUTE);
    }
    // Each email waited for the slot of its place in line, which nobody of equal priority takes:
    // every deferral in its log was a counted one (no email deferred again within its minute).
    for (const record of records.filter((r) => r.deferrals > 0)) {
      const log = await mailwright.store.listAttempts(record.id);
      expect(log.filter((a) => a.outcome === 'deferred').length).toBe(record.deferrals);
    }
    // A backlog the limit drains in under ten minutes is never forced.
    if (arrivalsMs.length <= 9 * limit) expect([...sent.values()].filter((s) => s.forced)).toEqual([]);
  } finally {
    await mailwright.close();
  }
}

describe('the throttle over random schedules (fast-check, injected clock, one SQLite store shared by the workers)', () => {
  it(`${RUNS} schedules: at most L non-forced sends in any 60 s, nothing forced before 9 minutes of waiting (nor at all when the backlog drains in under ten), no email idle while the window has room, every email sent once`, async () => {
    await fc.assert(fc.asyncProperty(schedules, simulate), { numRuns: RUNS, endOnFailure: true });
  }, 900_000);
});
