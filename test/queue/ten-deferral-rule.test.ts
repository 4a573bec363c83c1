import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import type { EmailRecord } from '../../src/store/email-record.js';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { describePostgres, pgConnectionString, pgSchemas } from '../support/postgres.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const T0 = '2026-11-24T10:00:00.000Z';
const t0 = Date.parse(T0);

/** The most non-forced sends found in any 60 s window (each window starting at a send). */
function busiestMinute(records: readonly EmailRecord[]): number {
  const times = records.filter((r) => r.sentAt !== undefined && !r.forced).map((r) => Date.parse(r.sentAt as string));
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
}

async function everyEmail(m: Mailwright): Promise<EmailRecord[]> {
  return (await m.history.list({ limit: 1000 })).items;
}

/** Mailwright instances on one store each (one per worker), with the SMTP test server as batch provider. */
async function workers(stores: Store[], port: number, clock: ManualClock, limit: number): Promise<Mailwright[]> {
  const all: Mailwright[] = [];
  for (const store of stores) {
    all.push(
      await createMailwright({
        store,
        providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false } })],
        users: new InMemoryUserDirectory(),
        clock,
      }),
    );
  }
  await all[0]!.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: limit } });
  return all;
}

/** Runs every worker's distributor once a second (all at once) until nothing waits, or `maxSeconds`. */
async function runEverySecond(all: Mailwright[], clock: ManualClock, maxSeconds: number): Promise<void> {
  const distributors = all.map((m, i) => m.createDistributor({ workerId: `worker-${i}`, claimBatch: 20 }));
  for (let second = 0; second < maxSeconds; second += 1) {
    await Promise.all(distributors.map((d) => d.runOnce()));
    const waiting = (await all[0]!.history.list({ status: ['queued', 'deferred', 'sending'], limit: 1 })).items.length;
    if (waiting === 0) return;
    clock.advance({ seconds: 1 });
  }
}

describe('the ten-deferral rule, with the distributor run every second (issue 21.1)', () => {
  let dir: string;
  let server: SmtpTestServer;
  const instances: Mailwright[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-ten-deferrals-'));
    server = await startSmtpTestServer({ starttls: false });
  });
  afterAll(async () => {
    await Promise.all(instances.map((m) => m.close()));
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('L = 5, 5 sends at t = 0–4 s and 18 more queued: the k-th waiting email waits for the k-th slot; nothing forced, never 6 in a minute', async () => {
    const clock = new ManualClock(T0);
    const [mailwright] = await workers([createSqliteStore({ filename: join(dir, 'five.db'), clock })], server.port, clock, 5);
    instances.push(mailwright!);
    const m = mailwright!;
    const distributor = m.createDistributor();
    for (let i = 0; i < 5; i += 1) {
      await m.enqueue({ from: 'batch@contoso.com', to: `first${i}@example.com`, subject: `first ${i}`, text: 'x' });
      expect(await distributor.runOnce()).toMatchObject({ sent: 1 });
      clock.advance({ seconds: 1 });
    }
    for (let i = 0; i < 18; i += 1) await m.enqueue({ from: 'batch@contoso.com', to: `next${i}@example.com`, subject: `next ${String(i).padStart(2, '0')}`, text: 'x' });
    expect(await distributor.runOnce()).toMatchObject({ sent: 0, deferred: 18 });
    // At t = 5 s: the k-th waiting email is due when the k-th slot frees (60–64 s), the rest a minute later.
    const waiting = (await everyEmail(m)).filter((r) => r.status === 'deferred').sort((a, b) => a.subject.localeCompare(b.subject));
    expect(waiting.map((r) => (Date.parse(r.dueAt) - t0) / 1000)).toEqual([60, 61, 62, 63, 64, ...Array(13).fill(65)]);
    await runEverySecond([m], clock, 15 * 60);

    const records = await everyEmail(m);
    expect(records.map((r) => r.status)).toEqual(Array(23).fill('sent'));
    expect(records.filter((r) => r.forced)).toEqual([]);
    expect(busiestMinute(records)).toBe(5);
    const next = records.filter((r) => r.subject.startsWith('next')).sort((a, b) => a.subject.localeCompare(b.subject));
    // The first five waiting emails get the slots the first five sends free, 60 s after each.
    expect(next.slice(0, 5).map((r) => (Date.parse(r.sentAt!) - t0) / 1000)).toEqual([60, 61, 62, 63, 64]);
    // Each deferral lasted up to one minute, so 18 emails behind 5 sends need at most 4.
    expect(Math.max(...next.map((r) => r.deferrals))).toBe(4);
    for (const r of next) {
      const log = (await m.history.get(r.id))!.attemptLog;
      expect(log.filter((a) => a.outcome === 'deferred').length).toBeGreaterThanOrEqual(r.deferrals);
    }
    // In send order: the emails went out in the order they were queued.
    const sentOrder = [...next].sort((a, b) => Date.parse(a.sentAt!) - Date.parse(b.sentAt!) || a.subject.localeCompare(b.subject)).map((r) => r.subject);
    expect(sentOrder).toEqual(next.map((r) => r.subject));
  });

  describePostgres('four PostgreSQL workers', () => {
    const schemas = pgSchemas();
    afterAll(() => schemas.dropAll());

    it('L = 60 and 300 emails queued over the first minute: never more than 60 in a minute, nothing forced, all sent within six minutes', async () => {
      const clock = new ManualClock(T0);
      const schema = schemas.fresh();
      const all = await workers(
        Array.from({ length: 4 }, () => createPostgresStore({ connectionString: pgConnectionString, schema, clock })),
        server.port,
        clock,
        60,
      );
      instances.push(...all);
      server.reset();
      // Five emails a second for a minute, so the window's slots free one by one.
      for (let second = 0; second < 60; second += 1) {
        await all[0]!.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ message: { from: 'batch@contoso.com', to: `c${second}-${i}@example.com`, subject: `bulk ${second}-${i}`, text: 'x' } })));
        await Promise.all(all.map((m, i) => m.createDistributor({ workerId: `worker-${i}`, claimBatch: 20 }).runOnce()));
        clock.advance({ seconds: 1 });
      }
      await runEverySecond(all, clock, 15 * 60);

      const records = await everyEmail(all[0]!);
      expect(records.map((r) => r.status)).toEqual(Array(300).fill('sent'));
      expect(records.filter((r) => r.forced)).toEqual([]);
      expect(busiestMinute(records)).toBe(60);
      expect(Math.max(...records.map((r) => Date.parse(r.sentAt!) - t0))).toBeLessThan(6 * 60_000);
      expect(server.messages).toHaveLength(300);
    });
  });
});
