import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { newRecord } from '../store/support/email-fixtures.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';
import { testMessage } from '../support/test-message.js';

const T0 = '2026-11-24T10:00:00.000Z';

// Queued emails that cannot be sent as stored (issue 21.2 and 21.3): each fails on its own with a
// typed code and a fix, nothing reaches the server, the rest of the run goes on.
describe('queued emails that cannot be sent as stored (SQLite file, real SMTP server)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let clock: ManualClock;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-unsendable-'));
    server = await startSmtpTestServer({ starttls: false });
    clock = new ManualClock(T0);
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'queue.db'), clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory(),
      clock,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp', attachmentSizeLimitBytes: 1_048_576 });
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const fine = () => mailwright.enqueue({ from: 'batch@contoso.com', to: 'fine@example.com', subject: 'fine', text: 'x' });

  describe('a damaged stored message', () => {
    /** A queued email whose stored message is `payload`, as if the store had been damaged after enqueue(). */
    async function damaged(payload: string): Promise<string> {
      const record = newRecord({ status: 'queued', dueAt: T0, createdAt: T0, payload });
      await mailwright.store.insertEmail(record);
      return record.id;
    }

    it('fails on its own with MW_MESSAGE_UNREADABLE and a fix, whatever the damage; the run goes on and sends the rest', async () => {
      const good = await fine();
      const stored = JSON.parse((await mailwright.store.getPayload(good))!) as Record<string, unknown>;
      const payloads = {
        'not JSON': '{"from": {"address": "batch@contoso.com"}, "to": [',
        'an unknown format version': JSON.stringify({ ...stored, format: 99 }),
        'fields missing': '{}',
        'a field of the wrong kind': JSON.stringify({ ...stored, attachments: 'a.txt' }),
        'JSON null': 'null',
        'a header with a line break': JSON.stringify({ ...stored, headers: { 'X-A': '1\r\nBcc: victim@example.com' } }),
      };
      const ids = new Map<string, string>();
      for (const [damage, payload] of Object.entries(payloads)) ids.set(damage, await damaged(payload));

      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, failed: 6 });
      for (const [damage, id] of ids) {
        const email = await mailwright.history.get(id);
        expect([damage, email?.status, email?.attempts, email?.failure?.code, email?.failure?.permanent]).toEqual([damage, 'failed', 1, ErrorCodes.MESSAGE_UNREADABLE, true]);
        expect(email?.failure?.fix).toMatch(/enqueue\(\)/);
        expect(email?.failure?.message).toContain(id);
        expect(email?.attemptLog.map((a) => a.outcome)).toEqual(['failed']);
      }
      expect((await mailwright.history.get(ids.get('an unknown format version')!))?.failure?.message).toMatch(/format version 99/);
      expect(server.messages.map((m) => m.parsed.subject)).toEqual(['fine']);
      // Not claimed again: the next run has nothing to do.
      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    });

    it('can be cancelled while it waits, and retried once failed (failing again while still damaged, without poisoning the run)', async () => {
      const waiting = await damaged('{oops');
      expect((await mailwright.history.cancel([waiting])).cancelled).toEqual([waiting]);
      const failing = await damaged('{oops');
      expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
      expect((await mailwright.history.retry([failing])).requeued).toEqual([failing]);
      await fine();
      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, failed: 1 });
      expect(await mailwright.history.get(failing)).toMatchObject({ status: 'failed', attempts: 2, failure: { code: ErrorCodes.MESSAGE_UNREADABLE } });
      expect((await mailwright.history.get(waiting))?.status).toBe('failed');
    });
  });

  describe('attachments given by path are checked again when sent', () => {
    it('a file grown over the size limit since enqueue() fails with MW_ATTACHMENT_TOO_LARGE, before anything is sent', async () => {
      const file = join(dir, 'report.pdf');
      await writeFile(file, Buffer.alloc(100_000, 1));
      const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'report', text: 'x', attachments: [{ filename: 'report.pdf', path: file }] });
      await truncate(file, 4_300_000); // 4.1 MB against 1 MB
      await fine();
      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, failed: 1 });
      const email = await mailwright.history.get(id);
      expect(email).toMatchObject({ status: 'failed', attempts: 1, failure: { code: ErrorCodes.ATTACHMENT_TOO_LARGE, permanent: true } });
      expect(email?.failure?.message).toMatch(/over the 1\.0 MB .*report\.pdf 4\.1 MB/);
      expect(email?.failure?.fix).toMatch(/attachment size limit/);
      expect(server.messages.map((m) => m.parsed.subject)).toEqual(['fine']);
    });

    it('a file gone since enqueue() fails with MW_ATTACHMENT_UNREADABLE and a fix; put back, the email is sent on retry', async () => {
      const file = join(dir, 'invoice.pdf');
      await writeFile(file, 'invoice');
      const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'invoice', text: 'x', attachments: [{ filename: 'invoice.pdf', path: file }] });
      await rm(file);
      expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
      const email = await mailwright.history.get(id);
      expect(email).toMatchObject({ status: 'failed', failure: { code: ErrorCodes.ATTACHMENT_UNREADABLE, permanent: true } });
      expect(email?.failure?.message).toContain(file);
      expect(email?.failure?.fix).toMatch(/file still exists/);
      expect(server.messages).toHaveLength(0);

      await writeFile(file, 'invoice');
      await mailwright.history.retry([id]);
      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
      expect(server.messages[0]?.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['invoice.pdf', 'invoice']]);
    });

    it('a file gone while the SMTP provider encodes the message is MW_ATTACHMENT_UNREADABLE, not a server failure', async () => {
      const provider = smtpProvider({ id: 'direct', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } });
      try {
        const message = testMessage({ attachments: [{ filename: 'gone.pdf', path: join(dir, 'gone.pdf') }] });
        await expect(provider.send(message, { mode: 'batch', emailId: 'e', attempt: 1 })).rejects.toMatchObject({ code: ErrorCodes.ATTACHMENT_UNREADABLE, fix: expect.stringMatching(/file still exists/) });
      } finally {
        await provider.close?.();
      }
    });
  });
});
