import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { failureError } from '../../src/errors/classify-failure.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import type { Provider } from '../../src/providers/provider.js';
import type { DistributionSummary } from '../../src/queue/distributor-run.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import type { EmailRecord } from '../../src/store/email-record.js';
import type { AttemptCompletion, ReserveSendsOptions, Store } from '../../src/store/store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { newRecord } from '../store/support/email-fixtures.js';
import { startSmtpTestServer, type SmtpRule, type SmtpTestServer } from '../support/smtp-test-server.js';

const T0 = '2026-11-24T10:00:00.000Z';

describe('batch queue and throttled distributor (ManualClock, SQLite file, real SMTP server)', () => {
  let dir: string;
  const servers: SmtpTestServer[] = [];
  const instances: Mailwright[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-queue-'));
  });
  afterAll(async () => {
    await Promise.all(instances.map((m) => m.close()));
    await Promise.all(servers.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function setup(
    options: {
      rules?: SmtpRule[];
      dataDelayMs?: number;
      limit?: number;
      file?: string;
      clock?: ManualClock;
      provider?: Provider;
      maxDeferrals?: number;
      wrapStore?: (store: Store) => Store;
    } = {},
  ) {
    const server = await startSmtpTestServer({ starttls: false, ...(options.rules ? { rules: options.rules } : {}), ...(options.dataDelayMs ? { dataDelayMs: options.dataDelayMs } : {}) });
    servers.push(server);
    const clock = options.clock ?? new ManualClock(T0);
    const file = options.file ?? join(dir, `${Math.random().toString(36).slice(2)}.db`);
    const provider = options.provider ?? smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, mailbox: 'batch@contoso.com' } });
    const store = createSqliteStore({ filename: file, clock });
    const mailwright = await createMailwright({ store: options.wrapStore?.(store) ?? store, providers: [provider], users: new InMemoryUserDirectory([{ id: 'ana', email: 'Ana@Contoso.com', displayName: 'Ana' }]), clock });
    instances.push(mailwright);
    await mailwright.parameters.update({ batchProviderId: provider.id, perMinuteLimits: { [provider.id]: options.limit ?? 0 }, ...(options.maxDeferrals !== undefined ? { maxDeferrals: options.maxDeferrals } : {}) });
    return { server, clock, file, mailwright };
  }
  /** A second instance (a restart, or another worker) on the same SQLite file. */
  async function reopen(file: string, port: number, clock: ManualClock): Promise<Mailwright> {
    const mailwright = await createMailwright({
      store: createSqliteStore({ filename: file, clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory(),
      clock,
    });
    instances.push(mailwright);
    return mailwright;
  }
  const all = async (m: Mailwright): Promise<EmailRecord[]> => (await m.history.list({ limit: 1000 })).items;
  const enqueueMany = (m: Mailwright, n: number, priority = 0) =>
    Promise.all(Array.from({ length: n }, (_, i) => m.enqueue({ to: `c${i}@example.com`, subject: `n${i}`, text: 'x' }, { priority })));

  it('with a backlog and L = 30: never more than 30 non-forced sends in any 60 s, and 30 every minute while email waits', async () => {
    const { server, clock, mailwright } = await setup({ limit: 30 });
    await enqueueMany(mailwright, 100);
    const perRun: number[] = [];
    for (let minute = 0; minute < 4; minute += 1) {
      perRun.push((await mailwright.distributor.runOnce()).sent);
      clock.advance({ minutes: 1 });
    }
    expect(perRun).toEqual([30, 30, 30, 10]);
    const records = await all(mailwright);
    expect(records.every((r) => r.status === 'sent' && !r.forced)).toBe(true);
    const times = records.map((r) => Date.parse(r.sentAt as string)).sort((a, b) => a - b);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(30);
    expect(server.messages).toHaveLength(100);
    // Deferred email waited no more than 60 s per deferral.
    const last = records.find((r) => r.deferrals === 3);
    expect(last).toBeDefined();
  });

  it('a provider that finds out at run time that it sends through Microsoft 365 gets 30 a minute unless set by hand', async () => {
    let sends = 0;
    const relay: Provider = {
      id: 'relay',
      kind: 'smtp',
      displayName: 'Relay',
      interactive: false,
      batch: true,
      microsoft365: false, // not known when it was made: its stored settings say smtp.office365.com
      usesMicrosoft365: () => Promise.resolve(true),
      mailbox: () => Promise.resolve({ address: 'batch@contoso.com' }),
      send: (message) => Promise.resolve({ status: 'sent' as const, messageId: message.messageId, recipients: [] }).finally(() => (sends += 1)),
    };
    const { mailwright } = await setup({ provider: relay });
    await mailwright.parameters.update({ perMinuteLimits: {} });
    await enqueueMany(mailwright, 31);
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 30, deferred: 1 });
    expect(sends).toBe(30);
    expect((await mailwright.parameters.effective()).perMinuteLimits).toEqual({ relay: 30 });
  });

  it('an email deferred 10 times is forced at its 11th attempt, and the history says so', async () => {
    const { clock, mailwright } = await setup({ limit: 1 });
    const low = await mailwright.enqueue({ to: 'low@example.com', subject: 'low', text: 'x' }, { priority: 0 });
    const dues: number[] = [];
    for (let minute = 0; minute <= 10; minute += 1) {
      await mailwright.enqueue({ to: `high${minute}@example.com`, subject: `high ${minute}`, text: 'x' }, { priority: 5 });
      const nowMs = clock.now().toMillis();
      await mailwright.distributor.runOnce();
      const record = (await mailwright.history.get(low))!;
      if (minute < 10) {
        expect(record).toMatchObject({ status: 'deferred', deferrals: minute + 1, forced: false });
        expect(record.sentAt).toBeUndefined();
        dues.push(Date.parse(record.dueAt) - nowMs);
      } else {
        expect(record).toMatchObject({ status: 'sent', deferrals: 10, forced: true, attempts: 1 });
        expect(record.attemptLog.map((a) => a.outcome)).toEqual([...Array(10).fill('deferred'), 'forced']);
      }
      clock.advance({ minutes: 1 });
    }
    expect(Math.max(...dues)).toBeLessThanOrEqual(60_000);
    const nonForced = (await all(mailwright)).filter((r) => !r.forced).map((r) => Date.parse(r.sentAt as string));
    for (const start of nonForced) expect(nonForced.filter((t) => t >= start && t < start + 60_000)).toHaveLength(1);
  });

  it('two workers on one file share the limit: L = 30 with both running at once still sends 30 a minute', async () => {
    const clock = new ManualClock(T0);
    const first = await setup({ limit: 30, clock });
    const second = await reopen(first.file, first.server.port, clock);
    await enqueueMany(first.mailwright, 100);
    const perMinute: number[] = [];
    for (let minute = 0; minute < 4; minute += 1) {
      const [a, b] = await Promise.all([first.mailwright.distributor.runOnce(), second.distributor.runOnce()]);
      perMinute.push(a.sent + b.sent);
      clock.advance({ minutes: 1 });
    }
    expect(perMinute).toEqual([30, 30, 30, 10]);
    const records = await all(first.mailwright);
    expect(records.every((r) => r.status === 'sent' && !r.forced)).toBe(true);
    expect(first.server.messages).toHaveLength(100);
  });

  it('a send that fails gives its slot back: the email deferred behind it is sent by the same run, not a minute later', async () => {
    const { clock, mailwright } = await setup({ limit: 1, rules: [{ onData: true, code: 451, message: '4.3.0 Try again later', times: 1 }] });
    const [failing, next] = [await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x' }), await mailwright.enqueue({ from: 'batch@contoso.com', to: 'b@example.com', subject: 'b', text: 'x' })];
    expect(await mailwright.createDistributor({ concurrency: 1 }).runOnce()).toMatchObject({ retried: 1, deferred: 1, sent: 1 });
    expect(await mailwright.history.get(failing)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await mailwright.history.get(next)).toMatchObject({ status: 'sent', deferrals: 1, sentAt: clock.now().toISO() });
  });

  it('the throttle window is counted from persisted sends, so a restart does not reset it', async () => {
    const clock = new ManualClock(T0);
    const first = await setup({ limit: 2, clock });
    await enqueueMany(first.mailwright, 3);
    expect((await first.mailwright.distributor.runOnce()).sent).toBe(2);
    await first.mailwright.close();
    clock.advance({ seconds: 10 });
    const again = await reopen(first.file, first.server.port, clock);
    const fresh = await again.enqueue({ from: 'batch@contoso.com', to: 'new@example.com', subject: 'after restart', text: 'x' });
    expect(await again.distributor.runOnce()).toMatchObject({ sent: 0, deferred: 1 });
    expect(await again.history.get(fresh)).toMatchObject({ status: 'deferred', deferrals: 1, dueAt: '2026-11-24T10:01:00.000Z' });
    clock.set(clock.now().plus({ seconds: 50 }));
    expect(await again.distributor.runOnce()).toMatchObject({ sent: 2 });
  });

  it('retries transient failures with back-off, then succeeds; every attempt is recorded', async () => {
    const { clock, mailwright } = await setup({ rules: [{ onData: true, code: 451, message: '4.7.500 Server busy, please try again later', times: 2 }] });
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'retry me', text: 'x' });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    const waiting = (await mailwright.history.get(id))!;
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, failure: { code: 'MW_TRANSIENT_FAILURE', permanent: false } });
    expect(waiting.sentAt).toBeUndefined();
    expect(Date.parse(waiting.dueAt)).toBeGreaterThan(clock.now().toMillis());
    expect((await mailwright.distributor.runOnce()).retried).toBe(0); // not due yet
    clock.set(clock.now().plus({ hours: 1 }));
    await mailwright.distributor.runOnce();
    clock.set(clock.now().plus({ hours: 1 }));
    await mailwright.distributor.runOnce();
    const done = (await mailwright.history.get(id))!;
    expect(done).toMatchObject({ status: 'sent', attempts: 3 });
    expect(done.attemptLog.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'sent']);
  });

  it('greylisting (every recipient refused with 451 4.7.1) and a mailbox full for now (452 4.2.2) are retried, not failed', async () => {
    const { clock, mailwright } = await setup({
      rules: [
        { rcpt: 'grey@example.com', code: 451, message: '4.7.1 Greylisted, please try again later', times: 1 },
        { rcpt: 'full@example.com', code: 452, message: '4.2.2 Mailbox full, try again later', times: 1 },
      ],
    });
    const ids = [await mailwright.enqueue({ from: 'batch@contoso.com', to: 'grey@example.com', subject: 'grey', text: 'x' }), await mailwright.enqueue({ from: 'batch@contoso.com', to: 'full@example.com', subject: 'full', text: 'x' })];
    expect(await mailwright.distributor.runOnce()).toMatchObject({ retried: 2, failed: 0 });
    expect((await mailwright.history.get(ids[0]!))?.failure).toMatchObject({ code: 'MW_TRANSIENT_FAILURE', permanent: false, smtpCode: 451 });
    clock.advance({ hours: 1 });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 2 });
  });

  it('a permanent failure stops at once with the classified failure', async () => {
    const { mailwright } = await setup({ rules: [{ rcpt: 'gone@example.com', code: 550, message: '5.1.1 User unknown' }] });
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'gone@example.com', subject: 'x', text: 'x' });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1, retried: 0 });
    expect(await mailwright.history.get(id)).toMatchObject({ status: 'failed', attempts: 1, failure: { code: 'MW_RECIPIENT_UNKNOWN', smtpCode: 550, permanent: true } });
  });

  it('a 429 waits at least Retry-After, and fails after maxAttempts', async () => {
    let calls = 0;
    const throttled: Provider = {
      id: 'graph-like', kind: 'exchange', displayName: 'Throttled', interactive: false, batch: true, microsoft365: true,
      send: async () => {
        calls += 1;
        throw failureError({ protocol: 'graph', message: 'Too Many Requests', httpStatus: 429, retryAfterSeconds: 120 });
      },
    };
    const { clock, mailwright } = await setup({ provider: throttled });
    await mailwright.parameters.update({ maxAttempts: 2 });
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'x', text: 'x' });
    await mailwright.distributor.runOnce();
    const waiting = (await mailwright.history.get(id))!;
    expect(Date.parse(waiting.dueAt) - clock.now().toMillis()).toBeGreaterThanOrEqual(120_000);
    clock.advance({ seconds: 119 });
    await mailwright.distributor.runOnce();
    expect(calls).toBe(1);
    clock.advance({ hours: 1 });
    await mailwright.distributor.runOnce();
    expect(await mailwright.history.get(id)).toMatchObject({ status: 'failed', attempts: 2, failure: { code: 'MW_RATE_LIMITED', retryAfterSeconds: 120 } });
  });

  it('idempotency key, priority then due time, sendAfter, stable Message-ID', async () => {
    const { server, clock, mailwright } = await setup();
    const a = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x' }, { idempotencyKey: 'order-1' });
    expect(await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x' }, { idempotencyKey: 'order-1' })).toBe(a);
    await mailwright.enqueue({ from: 'batch@contoso.com', to: 'urgent@example.com', subject: 'urgent', text: 'x' }, { priority: 9 });
    const later = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'later@example.com', subject: 'later', text: 'x' }, { sendAfter: clock.now().plus({ hours: 1 }).toJSDate() });
    const distributor = mailwright.createDistributor({ concurrency: 1 });
    await distributor.runOnce();
    expect(server.messages.map((m) => m.parsed.subject)).toEqual(['urgent', 'a']);
    expect((await mailwright.history.get(later))?.status).toBe('queued');
    const queuedId = (await mailwright.history.get(a))!.messageId;
    expect(server.messages[1]?.parsed.messageId).toBe(queuedId);
  });

  it('without a batch provider nothing is sent and nothing is lost', async () => {
    const { mailwright } = await setup();
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x' });
    await mailwright.parameters.update({ batchProviderId: null });
    await expect(mailwright.distributor.runOnce()).rejects.toMatchObject({ code: ErrorCodes.NO_BATCH_PROVIDER });
    expect((await mailwright.history.get(id))?.status).toBe('queued');
  });

  it('bad input is refused at enqueue: nothing queued', async () => {
    const { mailwright } = await setup();
    await expect(mailwright.enqueue({ from: 'batch@contoso.com', to: 'nope', subject: 'a', text: 'x' })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ADDRESS });
    await mailwright.parameters.update({ attachmentSizeLimitBytes: 1000 });
    await expect(mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x', attachments: [{ filename: 'big', content: Buffer.alloc(5000) }] })).rejects.toMatchObject({ code: ErrorCodes.ATTACHMENT_TOO_LARGE });
    expect(await all(mailwright)).toHaveLength(0);
  });

  it('two distributors on one SQLite file never send an email twice; an expired lease is taken over', async () => {
    const clock = new ManualClock(T0);
    const one = await setup({ clock });
    const twoInstance = await reopen(one.file, one.server.port, clock);
    await enqueueMany(one.mailwright, 60);
    await Promise.all([one.mailwright.createDistributor({ claimBatch: 7 }).runOnce(), twoInstance.createDistributor({ claimBatch: 5 }).runOnce()]);
    const ids = one.server.messages.map((m) => m.parsed.messageId);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);

    // A worker that claimed an email and died: its lease expires and another worker sends it.
    const orphan = await one.mailwright.enqueue({ from: 'batch@contoso.com', to: 'orphan@example.com', subject: 'orphan', text: 'x' });
    await one.mailwright.store.claimDue({ now: clock.now().toMillis(), limit: 10, leaseMs: 60_000, owner: 'crashed-worker' });
    expect(await one.mailwright.distributor.runOnce()).toMatchObject({ sent: 0 });
    clock.advance({ seconds: 61 });
    expect(await one.mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect((await one.mailwright.history.get(orphan))?.status).toBe('sent');
  });

  it('emits typed events and purges history once a day', async () => {
    const { clock, mailwright } = await setup();
    const seen: string[] = [];
    for (const name of ['queued', 'sending', 'sent'] as const) mailwright.events.on(name, () => seen.push(name));
    await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x' });
    await mailwright.distributor.runOnce();
    expect(seen).toEqual(['queued', 'sending', 'sent']);
    clock.advance({ days: 31 });
    await mailwright.distributor.runOnce(); // daily purge: the 31-day-old email goes
    expect(await all(mailwright)).toHaveLength(0);
  });

  it('reports progress against the emails due when the run started, from start() too', async () => {
    const { clock, mailwright } = await setup({ limit: 2 });
    await enqueueMany(mailwright, 5);
    await mailwright.enqueue({ to: 'later@example.com', subject: 'later', text: 'x' }, { sendAfter: '2026-11-24T11:00:00.000Z' });
    const reports: DistributionSummary[] = [];
    const summary = await mailwright.distributor.runOnce({ onProgress: (s) => reports.push(s) });
    expect(reports[0]).toEqual({ due: 5, sent: 0, failed: 0, deferred: 0, retried: 0, forced: 0 });
    expect(reports.map((r) => r.sent + r.deferred)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reports.at(-1)).toEqual(summary);
    expect(summary).toMatchObject({ due: 5, sent: 2, deferred: 3 });

    clock.advance({ minutes: 1 });
    const started: DistributionSummary[] = [];
    const distributor = mailwright.createDistributor();
    distributor.start({ onProgress: (s) => started.push(s) });
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    await distributor.stop();
    expect(started.at(-1)).toMatchObject({ due: 3, sent: 2, deferred: 1 });
  });

  it('start() repeats on the clock and stop() ends the loop', async () => {
    const { clock, server, mailwright } = await setup();
    const distributor = mailwright.createDistributor();
    distributor.start({ every: '1 minute' });
    await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'a', text: 'x' });
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    clock.advance({ minutes: 1 });
    await server.waitForMessages(1);
    await distributor.stop();
    expect(server.messages).toHaveLength(1);
  });

  it('stop() lets the sends in flight finish and gives the rest of the claimed batch back at once', async () => {
    const { clock, file, server, mailwright } = await setup({ dataDelayMs: 200 });
    await enqueueMany(mailwright, 10);
    const distributor = mailwright.createDistributor({ concurrency: 2, claimBatch: 10 });
    let sending = 0;
    mailwright.events.on('sending', () => (sending += 1));
    distributor.start();
    while (sending < 2) await new Promise((r) => setImmediate(r));
    await distributor.stop();

    expect(server.messages).toHaveLength(2);
    const records = await all(mailwright);
    expect(records.filter((r) => r.status === 'sent')).toHaveLength(2);
    const waiting = records.filter((r) => r.status !== 'sent');
    expect(waiting.map((r) => [r.status, r.leaseOwner, r.attempts])).toEqual(Array(8).fill(['queued', undefined, 0]));
    // Another worker takes them now, without waiting for the claimed batch's lease to expire.
    const other = await reopen(file, server.port, clock);
    await other.parameters.update({ batchProviderId: 'smtp' });
    expect(await other.distributor.runOnce()).toMatchObject({ sent: 8 });
    expect(server.messages).toHaveLength(10);
  });

  it('stop() during a runOnce() (no start()) ends that run the same way: it returns its summary, the rest given back', async () => {
    const { server, mailwright } = await setup({ dataDelayMs: 200 });
    await enqueueMany(mailwright, 10);
    const distributor = mailwright.createDistributor({ concurrency: 2, claimBatch: 10 });
    let sending = 0;
    mailwright.events.on('sending', () => (sending += 1));
    const run = distributor.runOnce();
    while (sending < 2) await new Promise((r) => setImmediate(r));
    await distributor.stop();
    expect(await run).toMatchObject({ sent: 2 });
    expect(server.messages).toHaveLength(2);
    expect((await all(mailwright)).filter((r) => r.status !== 'sent').map((r) => [r.status, r.leaseOwner])).toEqual(Array(8).fill(['queued', undefined]));
  });

  it('start() refuses an interval that would run it back to back (0, negative, NaN, "0 seconds")', async () => {
    const { mailwright } = await setup();
    for (const every of [0, -1, Number.NaN, '0 seconds']) {
      expect(() => mailwright.createDistributor().start({ every })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_SETTINGS }));
    }
  });

  /**
   * Two workers on one SQLite file, with `emails` queued. Their provider records each send as
   * "<worker> <subject>", then runs `during` (to spend clock time, or let the other worker run).
   */
  async function twoWorkers(clock: ManualClock, emails: number, during: (worker: 'a' | 'b', sendCount: number, other: Mailwright) => Promise<void>) {
    const sends: string[] = [];
    const relay = (worker: 'a' | 'b'): Provider => ({
      id: 'relay',
      kind: 'test',
      displayName: 'Scripted relay',
      interactive: false,
      batch: true,
      microsoft365: false,
      async send(message) {
        sends.push(`${worker} ${message.subject}`);
        await during(worker, sends.length, other);
        return { status: 'sent', messageId: message.messageId, recipients: [] };
      },
    });
    const { file, mailwright } = await setup({ clock, provider: relay('a') });
    const other = await createMailwright({ store: createSqliteStore({ filename: file, clock }), providers: [relay('b')], users: new InMemoryUserDirectory(), clock });
    instances.push(other);
    for (let i = 1; i <= emails; i += 1) await mailwright.enqueue({ from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `email ${i}`, text: 'x' });
    return { mailwright, sends };
  }

  it('a batch of slow sends renews its leases: a second worker takes none of it, and nothing is sent twice', async () => {
    const clock = new ManualClock(T0);
    let otherRun: Promise<unknown> | undefined;
    // Each send takes 20 s of clock time, against a 60 s lease: the batch of 8 outlives its lease unless renewed.
    // Halfway through, the other worker looks for due email.
    const { mailwright, sends } = await twoWorkers(clock, 8, async (worker, count, other) => {
      clock.advance({ seconds: 20 });
      if (worker === 'a' && count === 5) await (otherRun = other.distributor.runOnce());
    });

    const summary = await mailwright.createDistributor({ concurrency: 1, claimBatch: 8, leaseMs: 60_000 }).runOnce();
    expect(summary.sent).toBe(8);
    expect(await otherRun).toMatchObject({ sent: 0 });
    expect(sends).toEqual(Array.from({ length: 8 }, (_, i) => `a email ${i + 1}`));
    expect((await all(mailwright)).map((r) => [r.status, r.attempts])).toEqual(Array(8).fill(['sent', 1]));
  });

  it('a single send longer than the lease keeps its lease: the other worker does not send it again', async () => {
    const clock = new ManualClock(T0);
    let otherRun: Promise<unknown> | undefined;
    // The send takes two minutes against a 60 s lease, time passing 10 s at a time; then the other worker looks.
    const { mailwright, sends } = await twoWorkers(clock, 1, async (worker, _count, other) => {
      if (worker !== 'a') return;
      for (let step = 0; step < 12; step += 1) {
        clock.advance({ seconds: 10 });
        for (let turn = 0; turn < 5; turn += 1) await new Promise((r) => setImmediate(r));
      }
      await (otherRun = other.distributor.runOnce());
    });
    expect(await mailwright.createDistributor({ leaseMs: 60_000 }).runOnce()).toMatchObject({ sent: 1 });
    expect(await otherRun).toMatchObject({ sent: 0 });
    expect(sends).toEqual(['a email 1']);
    expect(clock.pendingSleeps).toBe(0); // the renewals stopped with the batch
  });

  it('emails whose lease was lost while they waited are left to the worker that took them over', async () => {
    const clock = new ManualClock(T0);
    // The clock jumps 70 s during the first send, past the 60 s lease: the other worker takes the batch over.
    const { mailwright, sends } = await twoWorkers(clock, 4, async (worker, count, other) => {
      if (worker !== 'a' || count !== 1) return;
      clock.advance({ seconds: 70 });
      await other.distributor.runOnce();
    });

    const summary = await mailwright.createDistributor({ concurrency: 1, claimBatch: 4, leaseMs: 60_000 }).runOnce();
    // Worker a does not send emails 2-4 (b has them). Email 1 was in flight while the clock jumped past its
    // lease before any renewal could run (as when the store is unreachable for a whole lease), so b sent it too.
    expect(summary.sent).toBe(1);
    expect(sends).toEqual(['a email 1', 'b email 1', 'b email 2', 'b email 3', 'b email 4']);
    expect((await all(mailwright)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('an outcome arriving after another worker took the email over is logged, and leaves the email to that worker', async () => {
    const clock = new ManualClock(T0);
    let releaseOther!: () => void;
    const otherHeld = new Promise<void>((resolve) => (releaseOther = resolve));
    let otherSending = false;
    let otherRun: Promise<unknown> | undefined;
    const { mailwright, sends } = await twoWorkers(clock, 1, async (worker, _count, other) => {
      if (worker === 'b') {
        otherSending = true;
        await otherHeld;
        return;
      }
      // The clock jumps past the lease before any renewal: b takes the email over and is still sending it when a finishes.
      clock.advance({ seconds: 70 });
      otherRun = other.distributor.runOnce();
      while (!otherSending) await new Promise((r) => setImmediate(r));
    });
    const [email] = await all(mailwright);
    expect(await mailwright.createDistributor({ leaseMs: 60_000 }).runOnce()).toMatchObject({ sent: 1 });
    const meanwhile = await mailwright.history.get(email!.id);
    expect(meanwhile?.status).toBe('sending'); // still b's, with b's lease
    expect(meanwhile?.leaseOwner).toBeDefined();
    expect(meanwhile?.attemptLog.map((a) => a.outcome)).toEqual(['taken-over', 'sent']); // b's takeover, then a's attempt
    releaseOther();
    expect(await otherRun).toMatchObject({ sent: 1 });
    const after = await mailwright.history.get(email!.id);
    expect([after?.status, after?.attemptLog.length, after?.possibleDuplicate]).toEqual(['sent', 3, true]);
    expect(sends).toEqual(['a email 1', 'b email 1']);
  });

  it('stop() during a long send gives the rest of the batch back while that send is still going', async () => {
    let releaseSend!: () => void;
    const sendHeld = new Promise<void>((resolve) => (releaseSend = resolve));
    let sending = 0;
    const relay: Provider = {
      id: 'relay',
      kind: 'test',
      displayName: 'Held relay',
      interactive: false,
      batch: true,
      microsoft365: false,
      async send(message) {
        sending += 1;
        await sendHeld;
        return { status: 'sent', messageId: message.messageId, recipients: [] };
      },
    };
    const released: string[][] = [];
    const wrapStore = (store: Store): Store =>
      new Proxy(store, {
        get: (target, key) => (key === 'releaseLeases' ? (ids: string[], owner: string) => (released.push([...ids]), target.releaseLeases(ids, owner)) : Reflect.get(target, key, target)),
      });
    const { mailwright } = await setup({ provider: relay, wrapStore });
    for (let i = 1; i <= 4; i += 1) await mailwright.enqueue({ from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `email ${i}`, text: 'x' });
    const distributor = mailwright.createDistributor({ concurrency: 1, claimBatch: 4 });
    distributor.start();
    while (sending === 0) await new Promise((r) => setImmediate(r));
    const stopped = distributor.stop();
    const waitingAgain = async () => (await all(mailwright)).filter((r) => r.status === 'queued' && r.leaseOwner === undefined).length;
    for (let turn = 0; turn < 200 && (await waitingAgain()) < 3; turn += 1) await new Promise((r) => setImmediate(r));
    expect(await waitingAgain()).toBe(3);
    expect((await all(mailwright)).filter((r) => r.status === 'sending')).toHaveLength(1); // still in flight
    releaseSend();
    await stopped;
    expect((await all(mailwright)).map((r) => r.status).sort()).toEqual(['queued', 'queued', 'queued', 'sent']);
    expect(sending).toBe(1);
    expect(released.flat()).toHaveLength(3); // each given back once, not again when the run ends
  });

  it.each([
    { maxUnrecorded: 2, sendsWhileStoring: 3 },
    { maxUnrecorded: 0, sendsWhileStoring: 1 },
  ])('while outcomes are being stored, sends go on until more than maxUnrecorded ($maxUnrecorded) wait', async ({ maxUnrecorded, sendsWhileStoring }) => {
    // The real SQLite store, except that the first write of outcomes waits until the test lets it go.
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    let firstWrite!: () => void;
    const writing = new Promise<void>((resolve) => (firstWrite = resolve));
    const groups: number[] = [];
    const wrapStore = (store: Store): Store =>
      new Proxy(store, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (key !== 'finishAttempts') return typeof value === 'function' ? value.bind(target) : value;
          return async (items: AttemptCompletion[]) => {
            groups.push(items.length);
            if (groups.length === 1) {
              firstWrite();
              await gate;
            }
            return target.finishAttempts(items);
          };
        },
      });
    const { server, mailwright } = await setup({ wrapStore });
    await enqueueMany(mailwright, 6);
    let sending = 0;
    mailwright.events.on('sending', () => (sending += 1));
    const run = mailwright.createDistributor({ concurrency: 1, maxUnrecorded }).runOnce();
    await writing;
    await server.waitForMessages(sendsWhileStoring);
    // Time for one more send to start, were the slot free (a local SMTP exchange takes a few ms).
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sending).toBe(sendsWhileStoring);
    expect(server.messages).toHaveLength(sendsWhileStoring);
    expect((await all(mailwright)).filter((r) => r.status === 'sent')).toHaveLength(0); // nothing reported before it is stored
    letGo();
    expect(await run).toMatchObject({ sent: 6 });
    expect((await all(mailwright)).map((r) => r.status)).toEqual(Array(6).fill('sent'));
    // Outcomes are stored in groups of maxUnrecorded (the rest at the end of the batch).
    expect(groups[0]).toBe(Math.max(1, maxUnrecorded));
    expect(groups.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('a store failure while taking the batch\'s slots stops the run: nothing is sent, deferred or left leased', async () => {
    let failReservation = true;
    const wrapStore = (store: Store): Store =>
      new Proxy(store, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (key !== 'reserveSends') return typeof value === 'function' ? value.bind(target) : value;
          return (options: ReserveSendsOptions) => {
            if (failReservation) {
              failReservation = false;
              return Promise.reject(new MailwrightError(ErrorCodes.STORE_FAILED, 'The sqlite store could not reserve throttle slots: database or disk is full'));
            }
            return target.reserveSends(options);
          };
        },
      });
    const { mailwright } = await setup({ limit: 1, wrapStore });
    await enqueueMany(mailwright, 3);
    await expect(mailwright.distributor.runOnce()).rejects.toMatchObject({ code: ErrorCodes.STORE_FAILED });
    // The slots and the deferrals are one transaction: none of it happened, and every email is given back.
    expect((await all(mailwright)).map((r) => [r.status, r.leaseOwner, r.sentAt, r.deferrals])).toEqual(Array(3).fill(['queued', undefined, undefined, 0]));
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, deferred: 2 });
  });

  it('a store failure while recording stops the run with its error; emails not started are given back, unrecorded ones are sent after the lease', async () => {
    let failures = 1;
    // The real SQLite store, except that one attempt write fails (as with a full disk).
    const wrapStore = (store: Store): Store =>
      new Proxy(store, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (key === 'finishAttempts') {
            return (...args: Parameters<Store['finishAttempts']>) => {
              if (failures === 0) return target.finishAttempts(...args);
              failures -= 1;
              return Promise.reject(new MailwrightError(ErrorCodes.STORE_FAILED, 'The sqlite store could not finish attempts: database or disk is full'));
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const { clock, server, mailwright } = await setup({ wrapStore });
    await enqueueMany(mailwright, 6);
    const distributor = mailwright.createDistributor({ concurrency: 2, leaseMs: 60_000 });
    await expect(distributor.runOnce()).rejects.toMatchObject({ code: ErrorCodes.STORE_FAILED });
    const afterFailure = await all(mailwright);
    // The emails whose outcome could not be stored stay leased; the ones not started were given back.
    const leased = afterFailure.filter((r) => r.status === 'sending');
    const givenBack = afterFailure.filter((r) => r.status === 'queued');
    expect(leased.length).toBeGreaterThan(0);
    expect(givenBack.length).toBeGreaterThan(0);
    expect(leased.length + givenBack.length + afterFailure.filter((r) => r.status === 'sent').length).toBe(6);

    expect(await distributor.runOnce()).toMatchObject({ sent: givenBack.length }); // the leased ones wait
    clock.advance({ seconds: 61 });
    expect(await distributor.runOnce()).toMatchObject({ sent: leased.length });
    const records = await all(mailwright);
    expect(records.map((r) => r.status)).toEqual(Array(6).fill('sent'));
    // Only the email whose write failed was sent without being recorded, so only it went out twice.
    const perSubject = new Map<string, number>();
    for (const m of server.messages) perSubject.set(String(m.parsed.subject), (perSubject.get(String(m.parsed.subject)) ?? 0) + 1);
    expect([...perSubject.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(2);
    expect(perSubject.size).toBe(6);
  });

  it('an email queued without a stored message fails on its own with a fix; the run goes on and does not claim it again', async () => {
    const { server, mailwright } = await setup();
    const orphan = newRecord({ status: 'queued', dueAt: T0, createdAt: T0 }); // inserted behind enqueue()'s back: no payload
    await mailwright.store.insertEmail(orphan);
    await mailwright.enqueue({ from: 'batch@contoso.com', to: 'a@example.com', subject: 'fine', text: 'x' });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, failed: 1 });
    const failed = await mailwright.history.get(orphan.id);
    expect(failed).toMatchObject({ status: 'failed', failure: { code: ErrorCodes.EMAIL_NOT_FOUND, permanent: true, fix: expect.stringContaining('enqueue()') } });
    expect(failed?.attemptLog).toEqual([expect.objectContaining({ outcome: 'failed', attempt: 1 })]);
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    expect(server.messages).toHaveLength(1);
  });
});
