import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

describe('history retention and stored SMTP settings, on a real SQLite file', () => {
  let server: SmtpTestServer;
  let dir: string;
  let mailwright: Mailwright;
  const clock = new ManualClock('2026-01-01T08:00:00.000Z');
  const key = Buffer.alloc(32, 5).toString('base64');

  const open = (secretKey = key): Promise<Mailwright> =>
    createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'smtp' })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } }]),
      clock,
      secretKey,
    });

  beforeAll(async () => {
    server = await startSmtpTestServer({ auth: { username: 'mailer@contoso.com', password: 'S3cret!pass' } });
    dir = await mkdtemp(join(tmpdir(), 'mw-history-'));
    mailwright = await open();
    const saved = await mailwright.smtpSettings.save('smtp', {
      host: '127.0.0.1',
      port: server.port,
      username: 'mailer@contoso.com',
      password: 'S3cret!pass',
      ca: server.certificate,
      servername: 'localhost',
    });
    expect(saved).toMatchObject({ host: '127.0.0.1', hasPassword: true });
    expect(JSON.stringify(await mailwright.store.getSetting('provider:smtp'))).not.toContain('S3cret!pass');
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const send = (subject: string) => mailwright.send({ to: 'c@example.com', subject, text: 'x' }, { userId: 'ana' });

  it('retention 0 means 30 days: older finished email is purged, newer kept, history survives a reopen', async () => {
    await send('day 0');
    clock.advance({ days: 20 });
    await send('day 20');
    clock.advance({ days: 15 }); // day 35: "day 0" is 35 days old, "day 20" 15 days
    await mailwright.parameters.update({ historyRetentionDays: 0 });
    const purge = await mailwright.history.purgeExpired();
    expect(purge).toMatchObject({ deleted: 1, retentionDays: 30, cutoff: '2026-01-06T08:00:00.000Z' });

    await mailwright.close();
    mailwright = await open();
    const { items } = await mailwright.history.list();
    expect(items.map((r) => r.subject)).toEqual(['day 20']);
  });

  it('a longer retention keeps more', async () => {
    clock.advance({ days: 40 });
    await mailwright.parameters.update({ historyRetentionDays: 90 });
    expect((await mailwright.history.purgeExpired()).deleted).toBe(0);
  });

  it('a different secret key cannot read the stored password: the email fails with MW_SECRET_UNREADABLE', async () => {
    await mailwright.close();
    mailwright = await open(Buffer.alloc(32, 6).toString('base64'));
    const error = await send('wrong key').catch((e: { code: string; details: { emailId: string } }) => e);
    expect(error).toMatchObject({ code: ErrorCodes.SECRET_UNREADABLE });
    const entry = await mailwright.history.get((error as { details: { emailId: string } }).details.emailId);
    expect(entry?.failure).toMatchObject({ code: 'MW_SECRET_UNREADABLE', fix: expect.stringMatching(/Re-enter the SMTP password/) });
  });
});
