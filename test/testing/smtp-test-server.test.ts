import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/testing/index.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';

/** `mailwright/testing` as a host uses it: its application sends through mailwright to the test server. */
describe('mailwright/testing: an SMTP test server that records messages and scripts replies', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-testing-'));
    server = await startSmtpTestServer({
      auth: { username: 'app@contoso.com', password: 'App!pass' },
      rules: [
        { rcpt: 'gone@example.com', code: 550, message: '5.1.1 User unknown' },
        { from: 'busy@contoso.com', onData: true, code: 451, message: '4.3.0 Try again later', times: 1 },
      ],
    });
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'app.db') }),
      providers: [
        smtpProvider({
          id: 'smtp',
          settings: { host: server.host, port: server.port, username: 'app@contoso.com', password: 'App!pass', ca: server.certificate, servername: 'localhost' },
        }),
      ],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } }]),
    });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records each message: the envelope, the authenticated user, TLS, and the parsed message', async () => {
    await mailwright.send(await mailwright.compose({ to: 'customer@example.com', bcc: 'audit@contoso.com', subject: 'Invoice 1042', text: 'Please find it attached.' }, 'ana'));
    const [message] = await server.waitForMessages(1);
    expect(message).toMatchObject({ envelope: { mailFrom: 'ana@contoso.com', rcptTo: ['customer@example.com', 'audit@contoso.com'] }, user: 'app@contoso.com', secure: true });
    expect(message!.parsed.subject).toBe('Invoice 1042');
    expect(message!.parsed.text?.trim()).toBe('Please find it attached.');
    expect(message!.raw.toString()).toContain('Subject: Invoice 1042');
    expect(server.authAttempts).toEqual([{ username: 'app@contoso.com', ok: true }]);
  });

  it('answers as scripted: a recipient refused, a message deferred once then accepted', async () => {
    const refused = await mailwright.sendTestEmail({ provider: 'smtp', to: 'gone@example.com', from: 'ana@contoso.com' });
    expect(refused).toMatchObject({ ok: false, failure: { code: 'MW_RECIPIENT_UNKNOWN', smtpCode: 550, enhancedCode: '5.1.1' } });

    const deferred = await mailwright.sendTestEmail({ provider: 'smtp', to: 'customer@example.com', from: 'busy@contoso.com' });
    expect(deferred).toMatchObject({ ok: false, failure: { code: 'MW_TRANSIENT_FAILURE', smtpCode: 451, permanent: false } });
    expect(server.messages).toHaveLength(0);
    const accepted = await mailwright.sendTestEmail({ provider: 'smtp', to: 'customer@example.com', from: 'busy@contoso.com' });
    expect(accepted.ok).toBe(true);
    expect(server.messages.map((m) => m.envelope.mailFrom)).toEqual(['busy@contoso.com']);
  });
});
