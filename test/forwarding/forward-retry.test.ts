import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { ForwardEvents } from '../../src/forwarding/forward-events.js';
import type { ForwardableRecord } from '../../src/forwarding/forwardable-record.js';
import { InMemoryRecordJournal } from '../../src/forwarding/in-memory-record-journal.js';
import type { JournalEntry } from '../../src/forwarding/record-journal.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpRule, type SmtpTestServer } from '../support/smtp-test-server.js';

/** A journal that says when it holds a number of entries (the queue's attempts are journaled as the distributor reports them). */
class WatchedJournal extends InMemoryRecordJournal {
  private count = 0;
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  override async append(entry: JournalEntry): Promise<void> {
    await super.append(entry);
    this.count += 1;
    for (const waiter of this.waiters.filter((w) => this.count >= w.count)) waiter.resolve();
  }
  /** Resolves once the journal holds `count` entries. */
  holding(count: number): Promise<void> {
    return this.count >= count ? Promise.resolve() : new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

const AGENT = 'Ana.Nunez@Contoso.com';
const record: ForwardableRecord = { id: 'CASE-7', subject: 'Printer on fire', conversation: [{ from: 'Customer', sentAt: '2026-11-24 09:00', text: 'Help' }], attachments: [] };
const temporary = (times: number): SmtpRule => ({ from: AGENT, code: 451, message: '4.3.0 Temporary server error, try again later', times });

describe('a record forward\'s temporary failures are retried through the queue, each attempt in the journal (issue 26 item 5)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let journal: WatchedJournal;
  let clock: ManualClock;
  const events: { name: string; payload: unknown }[] = [];

  async function setup(rules: SmtpRule[], options: { batchProviderId?: string; retryTemporaryFailures?: boolean } = {}): Promise<void> {
    server = await startSmtpTestServer({ rules });
    journal = new WatchedJournal();
    clock = new ManualClock('2026-11-24T10:00:00Z');
    const settings = { host: '127.0.0.1', port: server.port, ca: server.certificate, servername: 'localhost', requireAuth: false };
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'outbound', settings }), smtpProvider({ id: 'bulk', settings })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: AGENT, displayName: 'Ana María Núñez' }]),
      clock,
      forwarding: { providerId: 'outbound', journal, ...(options.retryTemporaryFailures !== undefined ? { retryTemporaryFailures: options.retryTemporaryFailures } : {}) },
    });
    await mailwright.parameters.update({ batchProviderId: options.batchProviderId ?? 'outbound', maxAttempts: 2 });
    events.length = 0;
    for (const name of ['forwarded', 'forward-failed'] as const) mailwright.forwardingEvents.on(name, (payload: ForwardEvents[typeof name]) => events.push({ name, payload }));
  }

  /** Lets the queue's next attempt come due and runs the distributor. */
  async function nextAttempt(): Promise<void> {
    clock.advance({ hours: 1 });
    await mailwright.distributor.runOnce();
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-forward-retry-'));
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('451 on the first attempt: queued for another attempt; it is sent the same (From, Message-ID, mark), and the journal shows the failure, then the note and the recipients', async () => {
    await setup([temporary(1)]);
    const result = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'Vendor <support@vendor.example>', cc: 'boss@contoso.com' });
    expect(result).toMatchObject({ status: 'queued', failure: { code: ErrorCodes.TRANSIENT_FAILURE, permanent: false } });
    await journal.holding(1);
    const [first] = journal.entries('CASE-7');
    expect(first).toMatchObject({ kind: 'error', attempt: 1, retryEmailId: result.emailId, retry: expect.stringContaining('temporary failure: tried again through the queue'), failure: { smtpCode: 451 } });
    expect(server.messages).toHaveLength(0);

    await nextAttempt();
    await journal.holding(4);
    const [sent] = server.messages;
    expect(sent!.envelope).toEqual({ mailFrom: AGENT, rcptTo: ['support@vendor.example', 'boss@contoso.com'] });
    expect(sent!.parsed.from?.value).toEqual([{ name: 'Ana María Núñez', address: AGENT }]);
    expect(sent!.parsed.headers.get('x-mailwright-forwarded-record')).toBe('CASE-7');
    expect(sent!.parsed.headers.get('x-mailwright-mark')).toBe(first?.kind === 'error' ? first.headers['X-Mailwright-Mark'] : undefined);
    expect(sent!.parsed.messageId).toBe((await mailwright.history.get(first!.emailId))?.messageId);
    const entries = journal.entries('CASE-7');
    expect(entries.map((e) => [e.kind, e.emailId])).toEqual([
      ['error', first!.emailId],
      ['note', result.emailId],
      ['timeline', result.emailId],
      ['timeline', result.emailId],
    ]);
    expect(entries[1]).toMatchObject({ kind: 'note', text: expect.stringContaining('Help'), themeId: 'mailwright.forward', triggersAutomation: false });
    expect(entries.slice(2).map((e) => (e.kind === 'timeline' ? [e.recipient.role, e.recipient.address, e.recipient.name] : []))).toEqual([
      ['to', 'support@vendor.example', 'Vendor'],
      ['cc', 'boss@contoso.com', undefined],
    ]);
    expect(events.map((e) => e.name)).toEqual(['forward-failed', 'forwarded']);
    expect(events[0]!.payload).toMatchObject({ willRetry: true, attempt: 1 });
    expect(events[1]!.payload).toMatchObject({ recordId: 'CASE-7', emailId: result.emailId, recipients: ['support@vendor.example', 'boss@contoso.com'] });
    expect(await mailwright.history.get(result.emailId)).toMatchObject({ status: 'sent', attempts: 1, meta: { recordId: 'CASE-7', forward: true, retryOf: first!.emailId } });
  });

  it('every temporary failure is journaled with its attempt number until the forward goes; the queue\'s last attempt ends it, saying so', async () => {
    await setup([temporary(3)]);
    const result = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' });
    await nextAttempt();
    await journal.holding(2);
    await nextAttempt();
    await journal.holding(3);
    expect(journal.entries('CASE-7').map((e) => (e.kind === 'error' ? [e.attempt, e.retry.split(':')[0]] : [e.kind]))).toEqual([
      [1, 'temporary failure'],
      [2, 'temporary failure'],
      [3, 'temporary failure'],
    ]);
    expect(journal.entries('CASE-7').map((e) => (e.kind === 'error' ? e.retry : ''))[2]).toContain('no attempt left');
    expect(await mailwright.history.get(result.emailId)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(events.map((e) => [e.name, (e.payload as { willRetry: boolean }).willRetry])).toEqual([
      ['forward-failed', true],
      ['forward-failed', true],
      ['forward-failed', false],
    ]);
  });

  it('a permanent failure on a later attempt ends the forward: journaled "will not be retried" with the fix', async () => {
    await setup([temporary(1), { from: AGENT, code: 550, message: '5.7.1 Client does not have permissions to send as this sender' }]);
    const result = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' });
    await nextAttempt();
    await journal.holding(2);
    expect(journal.entries('CASE-7')[1]).toMatchObject({ kind: 'error', emailId: result.emailId, attempt: 2, retry: 'will not be retried', failure: { code: ErrorCodes.SEND_AS_DENIED, fix: expect.stringContaining('Send As') } });
  });

  it('not retried when the batch queue sends with another provider than the outbound mailbox, or when retryTemporaryFailures is false: thrown and journaled, saying why', async () => {
    await setup([temporary(5)], { batchProviderId: 'bulk' });
    const error = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.TRANSIENT_FAILURE, permanent: false });
    expect(journal.entries('CASE-7')).toEqual([expect.objectContaining({ kind: 'error', attempt: 1, retry: expect.stringContaining('the batch queue sends with "bulk", not with the outbound mailbox "outbound"') })]);
    await mailwright.close();
    await server.close();

    await setup([temporary(5)], { retryTemporaryFailures: false });
    await expect(mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' })).rejects.toMatchObject({ code: ErrorCodes.TRANSIENT_FAILURE });
    expect(journal.entries('CASE-7')).toEqual([expect.objectContaining({ retry: expect.stringContaining('retryTemporaryFailures is off') })]);
    expect((await mailwright.history.list({ status: 'queued' })).items).toHaveLength(0);
  });
});
