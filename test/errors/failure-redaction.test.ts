import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { exchangeFixture, SECRET, type ExchangeFixture } from '../providers/exchange/exchange-fixture.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { selfSignedCertificate } from '../support/self-signed-cert.js';

const USER = 'mailer@contoso.com';
// Quotes, a backslash, a slash, a plus and a non-ASCII letter: its JSON, URL and base64 forms all differ from it.
const PASSWORD = 'Pa"ss\\w0rd/+é-42';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Every form a password may take on the wire or in a reply. */
const passwordForms = (password: string, user = USER): string[] => [
  password,
  b64(password),
  Buffer.from(password).toString('base64url'),
  b64(`\0${user}\0${password}`),
  b64(`${user}\0${user}\0${password}`),
  encodeURIComponent(password),
  JSON.stringify(password).slice(1, -1),
];

/** Everything a thrown error shows: message, fix, details, failure, cause chain and stacks. */
const everything = (value: unknown): string => `${inspect(value, { depth: 12 })}\n${JSON.stringify(value)}`;

function expectNoLeak(value: unknown, forms: string[]): void {
  const text = everything(value);
  for (const form of forms) expect({ leaked: form, found: text.includes(form) }).toEqual({ leaked: form, found: false });
}

/** A real SMTP server (STARTTLS, AUTH PLAIN and LOGIN) whose AUTH refusal echoes the credentials in every encoding. */
async function echoingSmtpServer(): Promise<{ port: number; ca: string; close: () => Promise<void> }> {
  const { key, cert } = await selfSignedCertificate();
  const server = new SMTPServer({
    key,
    cert,
    logger: false,
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      const user = auth.username ?? '';
      const pass = auth.password ?? '';
      const echo = `5.7.8 Authentication failed for ${user} with password ${pass} (SASL ${b64(`\0${user}\0${pass}`)}, LOGIN ${b64(pass)}, form pass=${encodeURIComponent(pass)})`;
      callback(Object.assign(new Error(echo), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return { port: (server.server.address() as AddressInfo).port, ca: cert, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the whole failure is redacted, stored and thrown, with every secret in play', () => {
  let dir: string;
  let smtp: Awaited<ReturnType<typeof echoingSmtpServer>>;
  let mailwright: Mailwright;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-redaction-'));
    smtp = await echoingSmtpServer();
    const settings = { host: '127.0.0.1', port: smtp.port, username: USER, password: PASSWORD, ca: smtp.ca, servername: 'localhost', mailbox: USER };
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db') }),
      providers: [smtpProvider({ id: 'inline', settings }), smtpProvider({ id: 'stored' })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'inline' } }]),
      secretKey: Buffer.alloc(32, 5),
    });
    await mailwright.smtpSettings.save('stored', settings);
    await mailwright.parameters.update({ batchProviderId: 'stored' });
  });
  afterAll(async () => {
    await mailwright?.close();
    await smtp?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an interactive send with inline settings: the thrown error and the history record hold no form of the password', async () => {
    const error = await expectMailwrightError(mailwright.send({ to: 'customer@example.com', subject: 'Quote', text: 'Hi' }, { userId: 'ana' }), ErrorCodes.AUTH_FAILED);
    expect(error.failure).toMatchObject({ smtpCode: 535, enhancedCode: '5.7.8' });
    expect(error.failure?.serverResponse).toContain('[redacted]');
    expectNoLeak(error, passwordForms(PASSWORD));
    const [record] = (await mailwright.history.list({ providerId: 'inline' })).items;
    expectNoLeak(await mailwright.history.get(record!.id), passwordForms(PASSWORD));
  });

  it('a test email with stored (sealed) settings: the result and the history record hold no form of the password', async () => {
    const result = await mailwright.sendTestEmail({ provider: 'stored', to: 'customer@example.com', from: USER });
    expect(result).toMatchObject({ ok: false, failure: { code: ErrorCodes.AUTH_FAILED } });
    expectNoLeak(result, passwordForms(PASSWORD));
    expectNoLeak(await mailwright.history.get(result.emailId), passwordForms(PASSWORD));
  });

  it('a queued email sent by the distributor: the record and its attempt log hold no form of the password', async () => {
    const id = await mailwright.enqueue({ from: USER, to: 'customer@example.com', subject: 'Batch', text: 'Hi' });
    await mailwright.distributor.runOnce();
    const entry = await mailwright.history.get(id);
    expect(entry?.status).toBe('failed');
    expect(entry?.attemptLog.length).toBeGreaterThan(0);
    expectNoLeak(entry, passwordForms(PASSWORD));
  });
});

describe('Graph and token endpoint failures that echo the token or the client secret are redacted', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('a Graph error echoing the bearer token and the Authorization header', async () => {
    fixture = await exchangeFixture();
    fixture.standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status: 401, code: 'InvalidAuthenticationToken', message: 'Token {token} is not valid (header: {authorization})' });
    const result = await fixture.mailwright.sendTestEmail({ provider: 'exchange', to: 'customer@example.com' });
    expect(result).toMatchObject({ ok: false, failure: { code: ErrorCodes.GRAPH_UNAUTHORIZED } });
    const tokens = [...fixture.standIn.token.issued.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const forms = tokens.flatMap((token) => token.split('.').filter((part) => part.length > 8));
    expectNoLeak(result, forms);
    expectNoLeak(await fixture.mailwright.history.get(result.emailId), forms);
    if (!result.ok) expect(result.failure.message).toMatch(/Token \[redacted\] is not valid/);
  });

  it('a token endpoint error echoing the client secret', async () => {
    fixture = await exchangeFixture();
    fixture.standIn.token.failures.push({ status: 401, error: 'invalid_client', aadsts: 7000215, description: 'Invalid client secret provided: {client_secret} (client_secret={client_secret}).' });
    const result = await fixture.mailwright.sendTestEmail({ provider: 'exchange', to: 'customer@example.com' });
    expect(result).toMatchObject({ ok: false, failure: { code: ErrorCodes.MSAL_INVALID_CLIENT_SECRET } });
    const forms = [SECRET, encodeURIComponent(SECRET), b64(SECRET)];
    expectNoLeak(result, forms);
    expectNoLeak(await fixture.mailwright.history.get(result.emailId), forms);
  });
});
