import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

// Stored settings come from earlier versions and from people editing the database: they are
// completed and checked as settings given in code are, before a provider uses them.
describe('stored provider settings are completed and checked when read (real SQLite file and SMTP server)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-stored-settings-'));
    server = await startSmtpTestServer({ starttls: false });
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db') }),
      providers: [smtpProvider({ id: 'smtp' })],
      users: new InMemoryUserDirectory([]),
      secretKey: Buffer.alloc(32, 3),
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('settings saved before a field existed get its default (no timeout of NaN after the email was accepted)', async () => {
    // As an early build stored them: no connectionTimeoutMs, allowInsecureAuth or implicitTls.
    await mailwright.store.putSetting('provider:smtp', { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false });
    const result = await mailwright.sendTestEmail({ provider: 'smtp', to: 'admin@example.com', from: 'mailer@contoso.com' });
    expect(result).toMatchObject({ ok: true });
    expect(server.messages).toHaveLength(1);
  });

  it('settings no longer valid (a user name without a password) stop the run with the fix; queued email stays queued', async () => {
    await mailwright.store.putSetting('provider:smtp', { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: true, username: 'mailer@contoso.com', connectionTimeoutMs: 30_000 });
    const id = await mailwright.enqueue({ from: 'mailer@contoso.com', to: 'customer@example.com', subject: 'Statement', text: 'x' });
    const error = await expectMailwrightError(mailwright.distributor.runOnce(), ErrorCodes.PROVIDER_NOT_CONFIGURED);
    expect(error.message).toContain('The stored SMTP settings of provider "smtp" are not valid: password: A user name was given without a password');
    expect(error.fix).toContain('mailwright smtp set');
    expect((await mailwright.history.get(id))?.status).toBe('queued');
    expect(server.messages).toHaveLength(1);
  });
});
