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

// Send On Behalf asks the provider for its mailbox before sending. When the provider cannot
// answer (here: its stored settings were saved under another secret key), an interactive email
// ends failed with that reason, like any delivery failure; queued email stays queued and the
// distributor's run stops with it. Neither vanishes nor stays `sending` for ever.
describe('Send On Behalf when the provider cannot say its mailbox (real SQLite file)', () => {
  let server: SmtpTestServer;
  let dir: string;
  let mailwright: Mailwright;
  const clock = new ManualClock('2026-12-02T09:00:00.000Z');

  const open = (secretKey: string): Promise<Mailwright> =>
    createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'smtp', senderMode: 'sendOnBehalf' })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } }]),
      clock,
      secretKey,
    });

  beforeAll(async () => {
    server = await startSmtpTestServer({ starttls: false, auth: { username: 'mailer@contoso.com', password: 'S3cret!' } });
    dir = await mkdtemp(join(tmpdir(), 'mw-behalf-'));
    const first = await open(Buffer.alloc(32, 1).toString('base64'));
    await first.smtpSettings.save('smtp', { host: '127.0.0.1', port: server.port, requireTls: false, username: 'mailer@contoso.com', password: 'S3cret!', mailbox: 'mailer@contoso.com' });
    await first.parameters.update({ batchProviderId: 'smtp' });
    await first.close();
    mailwright = await open(Buffer.alloc(32, 2).toString('base64')); // the key was changed
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an interactive send fails with the reason and is in the history', async () => {
    const error = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Quote', text: 'x' }, 'ana')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.SECRET_UNREADABLE, details: { emailId: expect.any(String) } });
    const entry = await mailwright.history.get((error as { details: { emailId: string } }).details.emailId);
    expect(entry).toMatchObject({ status: 'failed', attempts: 1, failure: { code: ErrorCodes.SECRET_UNREADABLE } });
    expect(entry?.attemptLog.map((a) => a.outcome)).toEqual(['failed']);
  });

  it('queued email stays queued and the run stops with the reason (every email would fail the same way); not one is left sending', async () => {
    const ids = [
      await mailwright.enqueue({ from: 'ana@contoso.com', to: 'c@example.com', subject: 'Statement 1', text: 'x' }),
      await mailwright.enqueue({ from: 'ana@contoso.com', to: 'd@example.com', subject: 'Statement 2', text: 'x' }),
    ];
    for (let run = 0; run < 2; run += 1) {
      await expect(mailwright.distributor.runOnce()).rejects.toMatchObject({ code: ErrorCodes.SECRET_UNREADABLE, fix: expect.stringMatching(/Re-enter the SMTP password/) });
      for (const id of ids) expect(await mailwright.history.get(id)).toMatchObject({ status: 'queued', attempts: 0 });
    }
    expect(server.messages).toHaveLength(0);
  });
});
