import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Clock } from '../../src/clock/clock.js';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { encodedSizeUpperBound, measureEncodedSize } from '../../src/message/encode-message.js';
import { validateMessage } from '../../src/message/validate-message.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

describe('enqueueMany (one transaction, all or nothing)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-many-'));
    server = await startSmtpTestServer({ starttls: false });
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, mailbox: 'batch@contoso.com' } })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana' }]),
      clock,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp', attachmentSizeLimitBytes: 200_000 });
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queues every email in order and the distributor sends them all', async () => {
    const ids = await mailwright.enqueueMany([
      { message: { to: 'a@example.com', subject: 'one', text: 'x' }, options: { userId: 'ana' } },
      { message: { to: 'b@example.com', subject: 'two', html: '<p>y</p>' }, options: { priority: 5 } },
      { message: { to: 'c@example.com', subject: 'three', text: 'z', attachments: [{ filename: 'a.bin', content: randomBytes(1000) }] } },
    ]);
    expect(ids).toHaveLength(3);
    expect((await mailwright.history.get(ids[0]!))?.from).toBe('Ana <Ana.Nunez@Contoso.com>');
    expect((await mailwright.distributor.runOnce()).sent).toBe(3);
    expect(server.messages.map((m) => m.parsed.subject)).toEqual(['two', 'one', 'three']);
  });

  it('an invalid email anywhere queues nothing and says which one', async () => {
    const error = (await mailwright
      .enqueueMany([
        { message: { to: 'a@example.com', subject: 'ok', text: 'x' } },
        { message: { to: 'not an address', subject: 'bad', text: 'x' } },
      ])
      .catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.INVALID_ADDRESS);
    expect(error.details.index).toBe(1);
    expect((await mailwright.history.list({})).items).toHaveLength(0);
  });

  it('checks the size limit exactly when the cheap bound passes it', async () => {
    const error = (await mailwright
      .enqueueMany([{ message: { to: 'a@example.com', subject: 'big', text: 'x', attachments: [{ filename: 'big.bin', content: randomBytes(300_000) }] } }])
      .catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.ATTACHMENT_TOO_LARGE);
    // 145 kB of attachment: the bound (~202 kB) passes the 200 kB limit, so it is encoded (~197 kB) and accepted.
    const [near] = await mailwright.enqueueMany([{ message: { to: 'a@example.com', subject: 'near', text: 'x', attachments: [{ filename: 'n.bin', content: randomBytes(145_000) }] } }]);
    expect((await mailwright.history.get(near!))?.status).toBe('queued');
  });

  it('keeps existing ids for idempotency keys already queued', async () => {
    const first = await mailwright.enqueue({ to: 'a@example.com', subject: 'once', text: 'x' }, { idempotencyKey: 'k1' });
    const ids = await mailwright.enqueueMany([
      { message: { to: 'a@example.com', subject: 'once', text: 'x' }, options: { idempotencyKey: 'k1' } },
      { message: { to: 'b@example.com', subject: 'new', text: 'x' }, options: { idempotencyKey: 'k2' } },
    ]);
    expect(ids[0]).toBe(first);
    expect((await mailwright.history.list({})).items).toHaveLength(2);
  });

  it.each([
    ['plain text', { subject: 'Grüße', text: 'ü'.repeat(5000) }],
    ['html with a long subject', { subject: 'S'.repeat(300), html: `<p>${'<b>é</b>'.repeat(2000)}</p>` }],
    ['attachments', { subject: 'a', text: 'x', attachments: [{ filename: 'ünïcode näme.pdf', content: randomBytes(100_003) }, { filename: 'b.txt', content: 'hello\n'.repeat(999) }] }],
  ])('the size bound is never below the encoded size (%s)', async (_name, fields) => {
    const message = await validateMessage(
      { to: ['Ünïcode Name <a@example.com>', 'b@example.com'], cc: 'c@example.com', headers: { 'X-Case': 'é'.repeat(50) }, ...fields },
      { from: { name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' }, messageIdDomain: 'contoso.com', now: new Date() },
    );
    const bound = await encodedSizeUpperBound(message);
    const exact = await measureEncodedSize(message);
    expect(bound).toBeGreaterThanOrEqual(exact);
    expect(bound).toBeLessThan(exact * 3 + 8192);
  });

  it('a batch is queued at one instant, read once: every record has the same created and due time, and ids sort in input order', async () => {
    // A clock that moves 1 ms each time it is read.
    let reads = 0;
    const ticking: Clock = { now: () => DateTime.fromMillis(Date.parse('2026-11-24T10:00:00Z') + reads++, { zone: 'utc' }), sleep: () => Promise.resolve() };
    const app = await createMailwright({
      store: createSqliteStore({ filename: ':memory:', clock: ticking }),
      providers: [smtpProvider({ settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, mailbox: 'batch@contoso.com' } })],
      users: new InMemoryUserDirectory(),
      clock: ticking,
    });
    try {
      await app.parameters.update({ batchProviderId: 'smtp' });
      const readsBefore = reads;
      const ids = await app.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ message: { to: `c${i}@example.com`, subject: `n${i}`, text: 'x' } })));
      expect(reads - readsBefore).toBe(2); // one for the batch, one by the store's insert: not one or more per email
      const records = await Promise.all(ids.map((id) => app.history.get(id)));
      expect(new Set(records.map((r) => r?.createdAt)).size).toBe(1);
      expect(records.every((r) => r?.dueAt === r?.createdAt)).toBe(true);
      expect([...ids].sort()).toEqual(ids);
    } finally {
      await app.close();
    }
  });
});
