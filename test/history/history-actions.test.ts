import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import type { QueueEvents } from '../../src/queue/queue-events.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const SEND_AS_DENIED = '5.7.1 Client does not have permissions to send as this sender';

describe('history.retry and history.cancel: an administrator acts on the queue (real SMTP server, SQLite file)', () => {
  let server: SmtpTestServer;
  let dir: string;
  let mailwright: Mailwright;
  const clock = new ManualClock('2026-11-24T10:00:00.000Z');

  beforeAll(async () => {
    // The mailbox may not send as sales@ until the administrator grants Send As: the server
    // refuses the first two attempts from it (the batch email's, then Ana's interactive one).
    const rules = [
      { from: 'sales@contoso.com', code: 550, message: SEND_AS_DENIED, times: 2 },
      { rcpt: 'gone@example.com', code: 550, message: '5.1.1 User unknown' },
    ];
    server = await startSmtpTestServer({ starttls: false, rules });
    dir = await mkdtemp(join(tmpdir(), 'mw-retry-'));
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp', senderEmail: 'sales@contoso.com' } }]),
      clock,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 } });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queues a failed batch email again for one more attempt; it is sent with the same Message-ID, and its log keeps the story', async () => {
    const id = await mailwright.enqueue({ from: 'sales@contoso.com', to: 'customer@example.com', subject: 'Statement', text: 'x' }, { idempotencyKey: 'stmt-1' });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
    const failed = (await mailwright.history.get(id))!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, failure: { code: 'MW_SEND_AS_DENIED', permanent: true } });

    const interactive = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Quote', text: 'x' }, 'ana')).catch((e: { details: { emailId: string } }) => e.details.emailId);
    const sent = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Sent', text: 'x' });
    await mailwright.distributor.runOnce();
    expect(server.messages.map((m) => m.parsed.subject)).toEqual(['Sent']);

    // Send As granted (the server's refusals are used up); the administrator retries.
    clock.advance({ hours: 2 });
    const queued: QueueEvents['queued'][] = [];
    mailwright.events.on('queued', (event) => queued.push(event));
    const result = await mailwright.history.retry([id, interactive as string, sent, 'no-such-id', id]);
    expect(result).toEqual({
      requeued: [id],
      skipped: [
        { id: interactive, reason: 'message-not-kept' },
        { id: sent, reason: 'not-failed' },
        { id: 'no-such-id', reason: 'not-found' },
      ],
    });
    expect(queued).toEqual([{ emailId: id, priority: 0, dueAt: '2026-11-24T12:00:00.000Z' }]);
    expect(await mailwright.history.get(id)).toMatchObject({ status: 'queued', attempts: 1, dueAt: '2026-11-24T12:00:00.000Z', idempotencyKey: 'stmt-1' });
    expect(await mailwright.enqueue({ from: 'sales@contoso.com', to: 'customer@example.com', subject: 'Statement', text: 'x' }, { idempotencyKey: 'stmt-1' })).toBe(id);

    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, failed: 0 });
    const done = (await mailwright.history.get(id))!;
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    expect(done.failure).toBeUndefined();
    expect(done.attemptLog.map((a) => a.outcome)).toEqual(['failed', 'requeued', 'sent']);
    expect(done.attemptLog[1]).toMatchObject({ startedAt: '2026-11-24T12:00:00.000Z', providerId: 'smtp' });
    const delivered = server.messages.find((m) => m.parsed.subject === 'Statement');
    expect(delivered?.parsed.messageId).toBe(failed.messageId);
    expect(await mailwright.history.retry([id])).toEqual({ requeued: [], skipped: [{ id, reason: 'not-failed' }] });
  });

  it('a failed email keeps its message until the retention purge, then cannot be retried', async () => {
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'gone@example.com', subject: 'Old', text: 'x' });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
    const { store } = mailwright;
    expect(await store.getPayload(id)).toBeDefined();
    clock.advance({ days: 31 });
    expect((await mailwright.history.purgeExpired()).deleted).toBeGreaterThan(0);
    expect(await store.getPayload(id)).toBeUndefined();
    expect(await mailwright.history.retry([id])).toEqual({ requeued: [], skipped: [{ id, reason: 'not-found' }] });
  });

  it('refuses anything but an array of ids', async () => {
    await expectMailwrightError(mailwright.history.retry('01a2' as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.retry(['ok', ' ']), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.cancel([undefined] as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.cancel([], null as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.list(null as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.list({ sender: 123 } as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.enqueue(null as never), ErrorCodes.INVALID_MESSAGE);
    await expectMailwrightError(mailwright.enqueueMany(null as never), ErrorCodes.INVALID_MESSAGE);
    const item = await expectMailwrightError(mailwright.enqueueMany([{ message: { to: 'c@example.com', subject: 's', text: 'x', from: 'a@contoso.com' } }, null] as never), ErrorCodes.INVALID_MESSAGE);
    expect(item.details.index).toBe(1);
  });

  it('cancel: waiting emails end failed with MW_CANCELLED and are not sent; one being sent or finished is left alone; a retry sends a cancelled one after all', async () => {
    const sent = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Sent earlier', text: 'x' });
    await mailwright.distributor.runOnce();
    // A distributor elsewhere has just claimed the first of these: it is being sent.
    const first = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Being sent', text: 'x' }, { priority: 9 });
    const [second, deferred, keep] = [
      await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Run twice', text: 'x' }),
      await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Run twice, deferred', text: 'x' }),
      await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Keep', text: 'x' }),
    ];
    await mailwright.store.updateEmail(deferred, { status: 'deferred', deferrals: 1 });
    const [taken] = await mailwright.store.claimDue({ now: clock.now().toMillis(), limit: 1, leaseMs: 60_000, owner: 'elsewhere' });
    expect(taken?.id).toBe(first);
    const failedEvents: QueueEvents['failed'][] = [];
    mailwright.events.on('failed', (event) => failedEvents.push(event));

    const result = await mailwright.history.cancel([first, second, deferred, sent, 'no-such-id'], { reason: 'Statement run made twice' });

    expect(result).toEqual({
      cancelled: [second, deferred],
      skipped: [
        { id: first, reason: 'being-sent' },
        { id: sent, reason: 'finished' },
        { id: 'no-such-id', reason: 'not-found' },
      ],
    });
    const cancelled = (await mailwright.history.get(second))!;
    expect(cancelled).toMatchObject({ status: 'failed', failure: { code: 'MW_CANCELLED', category: 'cancelled', permanent: true, message: 'Statement run made twice' } });
    expect(cancelled.failure?.fix).toContain('retry it');
    expect(cancelled.attemptLog.map((a) => a.outcome)).toEqual(['cancelled']);
    expect(failedEvents.map((e) => [e.emailId, e.failure.code])).toEqual([
      [second, 'MW_CANCELLED'],
      [deferred, 'MW_CANCELLED'],
    ]);

    await mailwright.store.releaseLeases([first], 'elsewhere');
    const before = server.messages.length;
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 2, failed: 0 });
    expect(server.messages.slice(before).map((m) => m.parsed.subject)).toEqual(['Being sent', 'Keep']);
    expect((await mailwright.history.get(keep))?.status).toBe('sent');

    expect((await mailwright.history.retry([deferred])).requeued).toEqual([deferred]);
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect((await mailwright.history.get(deferred))?.attemptLog.map((a) => a.outcome)).toEqual(['cancelled', 'requeued', 'sent']);
  });

  it('cancel refuses a reason that is not one line of text, and options it does not know', async () => {
    await expectMailwrightError(mailwright.history.cancel([], { reason: 'two\nlines' }), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.cancel([], { reason: ' ' }), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.cancel([], { reasn: 'typo' } as never), ErrorCodes.INVALID_QUERY);
  });
});
