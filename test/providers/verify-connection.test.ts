import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';
import { testRuntime } from '../support/test-runtime.js';

describe('verifyConnection: SMTP against a real smtp-server, sending nothing', () => {
  let server: SmtpTestServer;
  beforeAll(async () => {
    server = await startSmtpTestServer({
      auth: { username: 'mailer@contoso.com', password: 'right' },
      rules: [{ from: 'someone.else@contoso.com', code: 550, message: '5.7.60 SMTP; Client does not have permissions to send as this sender' }],
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.mailFrom.length = 0;
  });

  const provider = (password: string, extra: Record<string, unknown> = {}) => {
    const smtp = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, ca: server.certificate, servername: 'localhost', username: 'mailer@contoso.com', password, ...extra } });
    smtp.init?.(testRuntime());
    return smtp;
  };

  it('connect, STARTTLS, AUTH, MAIL FROM probe and QUIT: every step ok, no email sent', async () => {
    const smtp = provider('right');
    const result = await smtp.verifyConnection!();
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ['connect', 'ok'],
      ['tls', 'ok'],
      ['auth', 'ok'],
      ['mailFrom', 'ok'],
      ['quit', 'ok'],
    ]);
    expect(result.ok).toBe(true);
    expect(server.authAttempts).toEqual([{ username: 'mailer@contoso.com', ok: true }]);
    expect(server.mailFrom).toEqual(['mailer@contoso.com']);
    expect(server.messages).toHaveLength(0);
    await smtp.close?.();
  });

  it('a wrong password: a problem at auth with its code and fix', async () => {
    const smtp = provider('wrong');
    const result = await smtp.verifyConnection!();
    expect(result.ok).toBe(false);
    const auth = result.checks.find((c) => c.name === 'auth');
    expect(auth).toMatchObject({ status: 'problem', code: ErrorCodes.AUTH_FAILED });
    expect(auth?.fix).toBeTruthy();
    expect(JSON.stringify(result)).not.toContain('wrong');
  });

  it('a From the mailbox may not send as: a problem at mailFrom (Send As denied), still nothing sent', async () => {
    const smtp = provider('right');
    const result = await smtp.verifyConnection!({ from: 'someone.else@contoso.com' });
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)).toMatchObject({ name: 'mailFrom', status: 'problem', code: ErrorCodes.SEND_AS_DENIED });
    expect(server.messages).toHaveLength(0);
  });

  it('nothing listening: a problem at connect', async () => {
    const smtp = smtpProvider({ settings: { host: '127.0.0.1', port: 1, username: 'u@contoso.com', password: 'p' } });
    smtp.init?.(testRuntime());
    const result = await smtp.verifyConnection!();
    expect(result.checks).toEqual([expect.objectContaining({ name: 'connect', status: 'problem', code: ErrorCodes.CONNECTION_FAILED })]);
  });
});

describe('verifyConnection: .eml writes to its folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-eml-check-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a writable folder is ok and left as it was', async () => {
    const result = await emlProvider({ directory: join(dir, 'drafts') }).verifyConnection!();
    expect(result).toMatchObject({ ok: true, checks: [{ name: 'folder', status: 'ok' }] });
    expect(await readdir(join(dir, 'drafts'))).toEqual([]);
  });

  it('a folder that cannot be made (a file is in the way): a problem with MW_EXPORT_FAILED', async () => {
    await writeFile(join(dir, 'taken'), 'x');
    const result = await emlProvider({ directory: join(dir, 'taken') }).verifyConnection!();
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toMatchObject({ name: 'folder', status: 'problem', code: ErrorCodes.EXPORT_FAILED });
  });
});
