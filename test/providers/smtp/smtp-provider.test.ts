import { ErrorCodes } from '../../../src/errors/error-codes.js';
import type { MailwrightError } from '../../../src/errors/mailwright-error.js';
import type { SmtpSettingsInput } from '../../../src/parameters/smtp-settings.js';
import type { Provider } from '../../../src/providers/provider.js';
import { smtpProvider, type SmtpProviderOptions } from '../../../src/providers/smtp/smtp-provider.js';
import { sealSmtpSettings } from '../../../src/providers/smtp/smtp-settings-store.js';
import { startSmtpTestServer, type SmtpTestServer, type SmtpTestServerOptions } from '../../support/smtp-test-server.js';
import { testMessage } from '../../support/test-message.js';
import { testRuntime } from '../../support/test-runtime.js';

const PASSWORD = 'S3cret!pass';
const USER = 'mailer@contoso.com';
const context = { mode: 'batch' as const, emailId: 'e1', attempt: 1 };

describe('SMTP provider against a real SMTP server', () => {
  const servers: SmtpTestServer[] = [];
  const providers: Provider[] = [];
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close?.()));
    await Promise.all(servers.map((s) => s.close()));
  });

  async function setup(serverOptions: SmtpTestServerOptions, settings: Partial<SmtpSettingsInput> = {}, providerOptions: SmtpProviderOptions = {}) {
    const server = await startSmtpTestServer(serverOptions);
    servers.push(server);
    const provider = smtpProvider({
      ...providerOptions,
      settings: { host: '127.0.0.1', port: server.port, username: USER, password: PASSWORD, ca: server.certificate, servername: 'localhost', ...settings },
    });
    provider.init?.(testRuntime());
    providers.push(provider);
    return { server, provider };
  }
  const failureOf = (p: Promise<unknown>): Promise<MailwrightError> => p.then(() => { throw new Error('expected a failure'); }, (e: MailwrightError) => e);
  const leaks = (error: MailwrightError): string => JSON.stringify({ m: error.message, d: error.details, f: error.failure });

  it.each([['PLAIN'], ['LOGIN']])('STARTTLS then AUTH %s; headers, body and attachments arrive exactly', async (method) => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD }, authMethods: [method] });
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const receipt = await provider.send(
      testMessage({
        sender: { name: 'Contoso Mail', address: USER },
        replyTo: [{ name: 'Support Desk', address: 'Support@Contoso.com' }],
        html: '<p>Hello <b>there</b></p>',
        headers: { 'X-Case-Id': 'CASE-42' },
        attachments: [{ filename: 'bytes.bin', content: binary, contentType: 'application/octet-stream' }],
      }),
      context,
    );
    expect(receipt).toMatchObject({ status: 'sent', recipients: [{ address: 'customer@example.com', status: 'accepted' }] });
    const [received] = await server.waitForMessages(1);
    expect(received?.secure).toBe(true);
    expect(received?.user).toBe(USER);
    expect(received?.envelope).toEqual({ mailFrom: USER, rcptTo: ['customer@example.com'] });
    const parsed = received!.parsed;
    expect(parsed.from?.value).toEqual([{ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' }]);
    expect(parsed.headers.get('sender')).toMatchObject({ value: [{ name: 'Contoso Mail', address: USER }] });
    expect(parsed.replyTo?.value).toEqual([{ name: 'Support Desk', address: 'Support@Contoso.com' }]);
    expect(parsed.headers.get('x-case-id')).toBe('CASE-42');
    expect(parsed.text?.trim()).toBe('Hello');
    expect(parsed.html).toContain('<b>there</b>');
    expect(parsed.attachments[0]?.content.equals(binary)).toBe(true);
    expect(receipt.transcript).toMatch(new RegExp(`AUTH ${method}`));
    expect(receipt.transcript).not.toContain(PASSWORD);
    expect(receipt.transcript).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(receipt.transcript).not.toContain(Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64'));
    expect(server.authAttempts).toEqual([{ username: USER, ok: true }]);
  });

  it('keeps the SMTP dialogue in the transcript and the message only as its size, however long it is', async () => {
    const { provider } = await setup({ auth: { username: USER, password: PASSWORD } });
    const text = Array.from({ length: 2000 }, (_, i) => `Confidential line ${i}`).join('\n');
    const receipt = await provider.send(testMessage({ text }), context);
    expect(receipt.transcript).toMatch(/^C: MAIL FROM:<[^>]+>/m);
    expect(receipt.transcript).toMatch(/^C: RCPT TO:<customer@example\.com>/m);
    expect(receipt.transcript).toMatch(/^\* <\d+ bytes encoded mime message \(source size \d+ bytes\)>$/m);
    expect(receipt.transcript).toMatch(/^S: 250 /m);
    expect(receipt.transcript).not.toContain('Confidential');
    expect(receipt.transcript).not.toContain('Subject:');
  });

  it('reuses an authenticated connection for the next email', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD } });
    await provider.send(testMessage(), context);
    const second = await provider.send(testMessage(), context);
    await server.waitForMessages(2);
    expect(server.authAttempts).toHaveLength(1);
    expect(second.transcript).toContain('reusing an authenticated connection');
  });

  it('opens at most maxConnections connections: more concurrent sends wait for one and reuse it', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD } }, {}, { maxConnections: 3 });
    const burst = () => Promise.all(Array.from({ length: 12 }, (_, i) => provider.send(testMessage({ to: [{ address: `customer${i}@example.com` }] }), context)));
    const first = await burst();
    expect(first.every((receipt) => receipt.status === 'sent')).toBe(true);
    // One AUTH per connection opened: three connections carried twelve emails.
    expect(server.authAttempts).toHaveLength(3);
    await burst();
    await server.waitForMessages(24);
    expect(server.authAttempts).toHaveLength(3);
  });

  it.each([[0], [1.5], [Number.NaN]])('rejects maxConnections %p with MW_INVALID_SETTINGS', (maxConnections) => {
    expect(() => smtpProvider({ maxConnections })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_SETTINGS, details: { providerId: 'smtp', field: 'maxConnections' } }));
  });

  it('with TLS required, a server without STARTTLS gets nothing (and no password)', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD }, starttls: false });
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.code).toBe(ErrorCodes.TLS_REQUIRED_NOT_OFFERED);
    expect(server.authAttempts).toHaveLength(0);
    expect(server.messages).toHaveLength(0);
  });

  it('an untrusted certificate is a TLS error', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD } }, { ca: undefined });
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.code).toBe(ErrorCodes.TLS_FAILED);
    expect(server.messages).toHaveLength(0);
  });

  it('a user name but no AUTH offered → MW_SMTP_AUTH_NOT_SUPPORTED, never a silent unauthenticated send', async () => {
    const { server, provider } = await setup({ noAuth: true });
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.code).toBe(ErrorCodes.SMTP_AUTH_NOT_SUPPORTED);
    expect(error.permanent).toBe(true);
    expect(error.fix).toMatch(/clear the user name and password/);
    expect(server.messages).toHaveLength(0);
  });

  it.each([[['XOAUTH2']], [['NTLM', 'GSSAPI']]])(
    'AUTH offered but only %p (no PLAIN or LOGIN) → MW_SMTP_AUTH_MECHANISM_UNSUPPORTED naming them, not a wrong password',
    async (authMethods) => {
      const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD }, authMethods });
      const error = await failureOf(provider.send(testMessage(), context));
      expect(error.code).toBe(ErrorCodes.SMTP_AUTH_MECHANISM_UNSUPPORTED);
      expect(error.permanent).toBe(true);
      for (const mechanism of authMethods) expect(error.message).toContain(mechanism);
      expect(error.details.authMechanisms).toEqual(authMethods);
      expect(error.fix).toMatch(/AUTH PLAIN or LOGIN over TLS[\s\S]*Exchange \(Graph\) provider/);
      expect(error.fix).not.toMatch(/re-enter|clear the user name/i);
      expect(error.failure).toMatchObject({ code: ErrorCodes.SMTP_AUTH_MECHANISM_UNSUPPORTED, fix: error.fix });
      expect(error.failure?.transcript).toContain(`AUTH ${authMethods.join(' ')}`);
      expect(server.authAttempts).toHaveLength(0);
      expect(server.messages).toHaveLength(0);
    },
  );

  it('IDN domains go into the envelope as A-labels, as in the headers; results keep the addresses as written', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD } });
    const receipt = await provider.send(
      testMessage({ from: { name: 'Ana', address: 'ana@bücher.example' }, to: [{ address: 'bob@müller.example' }], cc: [{ address: 'Carl@Example.com' }] }),
      context,
    );
    // The test server offers SMTPUTF8 (and decodes A-labels back in what it records), so the wire is
    // read from the transcript: plain ASCII, no SMTPUTF8 parameter, which a server without SMTPUTF8 takes.
    expect(receipt.transcript).toMatch(/^C: MAIL FROM:<ana@xn--bcher-kva\.example>$/m);
    expect(receipt.transcript).toMatch(/^C: RCPT TO:<bob@xn--mller-kva\.example>$/m);
    expect(receipt.transcript).toMatch(/^C: RCPT TO:<Carl@Example\.com>$/m);
    expect(receipt.transcript).not.toMatch(/^C: (?:MAIL FROM|RCPT TO):.*(?:[^\p{ASCII}]|SMTPUTF8)/mu);
    expect(receipt.recipients).toEqual([
      { address: 'bob@müller.example', status: 'accepted' },
      { address: 'Carl@Example.com', status: 'accepted' },
    ]);
    const [received] = await server.waitForMessages(1);
    expect(received?.envelope.rcptTo).toEqual(['bob@müller.example', 'Carl@Example.com']);
  });

  it('a send in flight when the provider is closed closes its connection instead of keeping it idle', async () => {
    const server = await startSmtpTestServer({ auth: { username: USER, password: PASSWORD }, dataDelayMs: 400 });
    const provider = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, username: USER, password: PASSWORD, ca: server.certificate, servername: 'localhost' } });
    provider.init?.(testRuntime());
    providers.push(provider);
    const sending = provider.send(testMessage(), context);
    // Signed in: the send is under way, and the server holds its DATA for 400 ms.
    while (server.authAttempts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await provider.close?.();
    expect((await sending).status).toBe('sent');
    // smtp-server's close() resolves once every client connection has closed (it would drop them itself only after 30 s).
    const closing = server.close().then(() => 'every connection closed');
    const deadline = new Promise<string>((resolve) => setTimeout(() => resolve('a connection is still open'), 10_000).unref());
    expect(await Promise.race([closing, deadline])).toBe('every connection closed');
  });

  it('sends without AUTH when no user name is configured and auth is not required', async () => {
    const { server, provider } = await setup({ noAuth: true }, { username: undefined, password: undefined, requireAuth: false });
    await provider.send(testMessage(), context);
    expect((await server.waitForMessages(1))[0]?.user).toBeUndefined();
  });

  it('a wrong password → MW_AUTH_FAILED (535), the password absent in every form', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: 'the-right-one' } });
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.code).toBe(ErrorCodes.AUTH_FAILED);
    expect(error.failure).toMatchObject({ smtpCode: 535, enhancedCode: '5.7.3', permanent: true });
    for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64')]) {
      expect(leaks(error)).not.toContain(form);
    }
    expect(error.failure?.transcript).toContain('535');
    expect(server.messages).toHaveLength(0);
  });

  it('records per-recipient results when some recipients are refused', async () => {
    const { server, provider } = await setup({ auth: { username: USER, password: PASSWORD }, rules: [{ rcpt: 'nobody@example.com', code: 550, message: '5.1.1 User unknown' }] });
    const receipt = await provider.send(testMessage({ to: [{ address: 'customer@example.com' }], cc: [{ address: 'nobody@example.com' }] }), context);
    expect(receipt.recipients).toEqual([
      { address: 'customer@example.com', status: 'accepted' },
      { address: 'nobody@example.com', status: 'rejected', smtpCode: 550, enhancedCode: '5.1.1', response: '550 5.1.1 User unknown' },
    ]);
    expect((await server.waitForMessages(1))[0]?.envelope.rcptTo).toEqual(['customer@example.com']);
  });

  it('every recipient refused is a classified failure with the per-recipient replies', async () => {
    const { provider } = await setup({ auth: { username: USER, password: PASSWORD }, rules: [{ rcpt: 'nobody@example.com', code: 550, message: '5.1.1 User unknown' }] });
    const error = await failureOf(provider.send(testMessage({ to: [{ address: 'nobody@example.com' }] }), context));
    expect(error.code).toBe(ErrorCodes.RECIPIENT_UNKNOWN);
    expect(error.details.recipients).toEqual([expect.objectContaining({ address: 'nobody@example.com', status: 'rejected', smtpCode: 550 })]);
  });

  it('550 5.7.1 send-as refusal is permanent, with the server reply in the transcript', async () => {
    const { provider } = await setup({ auth: { username: USER, password: PASSWORD }, rules: [{ from: 'Ana.Nunez@Contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' }] });
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.code).toBe(ErrorCodes.SEND_AS_DENIED);
    expect(error.permanent).toBe(true);
    expect(error.failure?.transcript).toMatch(/S: 550 5\.7\.1 Client does not have permissions/);
    expect(error.failure?.transcript).toContain('MAIL FROM:<Ana.Nunez@Contoso.com>');
  });

  it.each([
    [421, '4.3.2 Service not available, closing transmission channel'],
    [451, '4.7.500 Server busy, please try again later'],
  ])('%s is transient', async (code, message) => {
    const { provider } = await setup({ auth: { username: USER, password: PASSWORD }, rules: [{ onData: true, code, message }] });
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.permanent).toBe(false);
    expect(error.code).toBe(ErrorCodes.TRANSIENT_FAILURE);
  });

  it('SIZE: a message over the server limit is MW_MESSAGE_TOO_LARGE', async () => {
    const { provider } = await setup({ auth: { username: USER, password: PASSWORD }, size: 2000 });
    const error = await failureOf(provider.send(testMessage({ attachments: [{ filename: 'big.bin', content: Buffer.alloc(10_000, 7) }] }), context));
    expect(error.code).toBe(ErrorCodes.MESSAGE_TOO_LARGE);
  });

  it('connection refused is a transient connection failure', async () => {
    const provider = smtpProvider({ settings: { host: '127.0.0.1', port: 1, requireTls: false, requireAuth: false, connectionTimeoutMs: 2000 } });
    provider.init?.(testRuntime());
    const error = await failureOf(provider.send(testMessage(), context));
    expect(error.code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect(error.permanent).toBe(false);
  });

  it('invalid inline settings list every bad field', () => {
    expect(() => smtpProvider({ settings: { host: '', port: 70000, requireAuth: true } })).toThrow(/host[\s\S]*port[\s\S]*username/);
  });

  describe('stored settings with the password encrypted', () => {
    it('loads and decrypts them at send time; Microsoft 365 is detected from inline settings only', async () => {
      const server = await startSmtpTestServer({ auth: { username: USER, password: PASSWORD } });
      servers.push(server);
      const runtime = testRuntime(new Map());
      const stored = sealSmtpSettings({ host: '127.0.0.1', port: server.port, username: USER, password: PASSWORD, ca: server.certificate, servername: 'localhost' }, runtime.secrets, 'smtp');
      expect(JSON.stringify(stored)).not.toContain(PASSWORD);
      const settings = new Map<string, unknown>([['provider:smtp', stored]]);
      const provider = smtpProvider();
      provider.init?.(testRuntime(settings));
      providers.push(provider);
      expect(await provider.mailbox?.()).toEqual({ address: USER });
      await provider.send(testMessage(), context);
      expect(await server.waitForMessages(1)).toHaveLength(1);
      expect(smtpProvider({ settings: { host: 'smtp.office365.com', username: USER, password: 'x' } }).microsoft365).toBe(true);
    });

    it('a wrong secret key → MW_SECRET_UNREADABLE asking to re-enter the password; nothing sent', async () => {
      const server = await startSmtpTestServer({ auth: { username: USER, password: PASSWORD } });
      servers.push(server);
      const stored = sealSmtpSettings({ host: '127.0.0.1', port: server.port, username: USER, password: PASSWORD }, testRuntime().secrets, 'smtp');
      const provider = smtpProvider();
      provider.init?.(testRuntime(new Map([['provider:smtp', stored]]), Buffer.alloc(32, 9)));
      const error = await failureOf(provider.send(testMessage(), context));
      expect(error.code).toBe(ErrorCodes.SECRET_UNREADABLE);
      expect(error.message).toContain('re-enter the SMTP password');
      expect(server.authAttempts).toHaveLength(0);
    });

    it('no settings at all → MW_PROVIDER_NOT_CONFIGURED', async () => {
      const provider = smtpProvider({ id: 'nothing' });
      provider.init?.(testRuntime());
      expect((await failureOf(provider.send(testMessage(), context))).code).toBe(ErrorCodes.PROVIDER_NOT_CONFIGURED);
    });
  });
});
