import { ErrorCodes } from '../../../src/errors/error-codes.js';
import type { MailwrightError } from '../../../src/errors/mailwright-error.js';
import { smtpSettingsSchema, type SmtpSettingsInput } from '../../../src/parameters/smtp-settings.js';
import type { Provider } from '../../../src/providers/provider.js';
import { smtpProvider } from '../../../src/providers/smtp/smtp-provider.js';
import { startSmtpTestServer, type SmtpTestServer, type SmtpTestServerOptions } from '../../support/smtp-test-server.js';
import { testMessage } from '../../support/test-message.js';
import { testRuntime } from '../../support/test-runtime.js';

const USER = 'mailer@contoso.com';
const PASSWORD = 'Clear!text';
const context = { mode: 'batch' as const, emailId: 'e1', attempt: 1 };

describe('SMTP credentials never go out in clear unless allowInsecureAuth says so', () => {
  const servers: SmtpTestServer[] = [];
  const providers: Provider[] = [];
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close?.()));
    await Promise.all(servers.map((s) => s.close()));
  });

  async function setup(serverOptions: SmtpTestServerOptions, settings: Partial<SmtpSettingsInput>) {
    const server = await startSmtpTestServer({ auth: { username: USER, password: PASSWORD }, ...serverOptions });
    servers.push(server);
    const provider = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, username: USER, password: PASSWORD, ca: server.certificate, servername: 'localhost', ...settings } });
    provider.init?.(testRuntime());
    providers.push(provider);
    return { server, provider };
  }

  it('requireTls: false and a server without STARTTLS: MW_SMTP_AUTH_WITHOUT_TLS, no AUTH sent, nothing delivered', async () => {
    const { server, provider } = await setup({ starttls: false }, { requireTls: false });
    const error = (await provider.send(testMessage(), context).catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.SMTP_AUTH_WITHOUT_TLS);
    expect(error.permanent).toBe(true);
    expect(error.fix).toContain('allowInsecureAuth');
    expect(error.failure?.transcript).toContain('EHLO');
    expect(error.failure?.transcript).not.toMatch(/C: AUTH/);
    expect(server.authAttempts).toEqual([]);
    expect(server.messages).toEqual([]);
  });

  it('with allowInsecureAuth: true (a trusted internal relay), AUTH goes in clear and the email is delivered', async () => {
    const { server, provider } = await setup({ starttls: false }, { requireTls: false, allowInsecureAuth: true });
    await provider.send(testMessage(), context);
    const [received] = await server.waitForMessages(1);
    expect(received).toMatchObject({ secure: false, user: USER });
  });

  it('requireTls: false with a server that offers STARTTLS: upgraded first, AUTH over TLS without allowInsecureAuth', async () => {
    const { server, provider } = await setup({}, { requireTls: false });
    await provider.send(testMessage(), context);
    const [received] = await server.waitForMessages(1);
    expect(received).toMatchObject({ secure: true, user: USER });
  });

  it('without credentials, requireTls: false still sends in clear (nothing secret to protect)', async () => {
    const server = await startSmtpTestServer({ starttls: false });
    servers.push(server);
    const provider = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } });
    provider.init?.(testRuntime());
    providers.push(provider);
    await provider.send(testMessage(), context);
    expect(await server.waitForMessages(1)).toHaveLength(1);
  });

  it('allowInsecureAuth is a documented boolean setting, false by default', () => {
    const parsed = smtpSettingsSchema.parse({ host: 'relay.contoso.local', username: USER, password: PASSWORD });
    expect(parsed.allowInsecureAuth).toBe(false);
    expect(smtpSettingsSchema.safeParse({ host: 'relay', requireAuth: false, allowInsecureAuth: 'yes' }).success).toBe(false);
  });
});
