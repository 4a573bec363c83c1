import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import type { StoredExchangeSettings } from '../../src/parameters/exchange-settings.js';
import { openExchangeSettings } from '../../src/providers/exchange/exchange-settings-store.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const PASSWORD = 'Round!trip-pass';
const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';
const THUMBPRINT = 'ab'.repeat(32);
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';

describe('settings round-trip: a settings screen edits stored settings without retyping secrets (SQLite file, real SMTP server)', () => {
  let server: SmtpTestServer;
  let dir: string;
  let mailwright: Mailwright;

  beforeAll(async () => {
    server = await startSmtpTestServer({ starttls: false, auth: { username: 'mailer@contoso.com', password: PASSWORD } });
    dir = await mkdtemp(join(tmpdir(), 'mw-round-trip-'));
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db') }),
      providers: [smtpProvider({ id: 'smtp' })],
      users: new InMemoryUserDirectory(),
      secretKey: Buffer.alloc(32, 9),
    });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const smtp = () => ({ host: '127.0.0.1', port: server.port, requireTls: false, allowInsecureAuth: true, username: 'mailer@contoso.com', mailbox: 'mailer@contoso.com' });
  const storedSmtp = () => mailwright.store.getSetting<{ passwordSecret?: unknown; connectionTimeoutMs: number }>('provider:smtp');

  it('an SMTP save that leaves the password out keeps the stored one; the provider still signs in with it', async () => {
    expect(await mailwright.smtpSettings.save('smtp', { ...smtp(), password: PASSWORD })).toMatchObject({ hasPassword: true });
    const sealed = (await storedSmtp())?.passwordSecret;

    // The screen shows hasPassword, the administrator changes the timeout and leaves the password blank.
    expect(await mailwright.smtpSettings.save('smtp', { ...smtp(), connectionTimeoutMs: 10_000 })).toMatchObject({ hasPassword: true, connectionTimeoutMs: 10_000 });
    expect((await storedSmtp())?.passwordSecret).toEqual(sealed);

    const result = await mailwright.sendTestEmail({ provider: 'smtp', to: 'admin@example.com' });
    expect(result.ok).toBe(true);
    expect(server.authAttempts.at(-1)).toEqual({ username: 'mailer@contoso.com', ok: true });
  });

  it('clearing the stored password is explicit (password: null), and a user name then needs a new one', async () => {
    const error = await expectMailwrightError(mailwright.smtpSettings.save('smtp', { ...smtp(), password: null }), ErrorCodes.INVALID_SETTINGS);
    expect(error.details.issues).toEqual([{ field: 'password', message: expect.stringContaining('A user name was given without a password'), messageKey: 'usernameNeedsPassword' }]);
    expect((await storedSmtp())?.passwordSecret).toBeDefined();

    const { username: _username, ...relay } = smtp();
    // No user name, password left out: the stored password would be kept with no one to use it.
    const kept = await expectMailwrightError(mailwright.smtpSettings.save('smtp', { ...relay, requireAuth: false }), ErrorCodes.INVALID_SETTINGS);
    expect(kept.details.issues).toEqual([expect.objectContaining({ field: 'password', messageKey: 'storedPasswordNeedsUsername' })]);
    expect(await mailwright.smtpSettings.save('smtp', { ...relay, requireAuth: false, password: null })).toMatchObject({ hasPassword: false });
    expect((await storedSmtp())?.passwordSecret).toBeUndefined();

    // Nothing stored now: a user name without a password is refused, as before any save.
    const none = await expectMailwrightError(mailwright.smtpSettings.save('smtp', smtp()), ErrorCodes.INVALID_SETTINGS);
    expect(none.details.issues).toEqual([expect.objectContaining({ field: 'password', messageKey: 'usernameNeedsPassword' })]);
  });

  it('settings given in code have nothing stored: a user name needs its password there', () => {
    expect(() => smtpProvider({ settings: { host: 'smtp.contoso.com', username: 'mailer@contoso.com' } })).toThrow(/password: A user name was given without a password/);
    expect(() => smtpProvider({ settings: { host: 'smtp.contoso.com', username: 'mailer@contoso.com', password: PASSWORD } })).not.toThrow();
  });

  describe('Exchange', () => {
    const base = { tenantId: TENANT, clientId: CLIENT, batchMailbox: 'batch@contoso.com' };
    const stored = () => mailwright.store.getSetting<StoredExchangeSettings>('provider:exchange');
    const opened = async () => openExchangeSettings((await stored())!, mailwright.secrets, 'exchange');

    it('a save that leaves the client secret out keeps it; null clears it and then a credential is missing', async () => {
      await mailwright.exchangeSettings.save('exchange', { ...base, clientSecret: 'first~secret' });
      expect(await mailwright.exchangeSettings.save('exchange', { ...base, batchMailbox: 'queue@contoso.com' })).toMatchObject({ credential: 'clientSecret', batchMailbox: 'queue@contoso.com' });
      expect((await opened()).clientSecret).toBe('first~secret');

      const cleared = await expectMailwrightError(mailwright.exchangeSettings.save('exchange', { ...base, clientSecret: null }), ErrorCodes.INVALID_SETTINGS);
      expect(cleared.details.issues).toEqual([expect.objectContaining({ field: 'clientSecret', messageKey: 'oneCredential' })]);
      expect((await opened()).clientSecret).toBe('first~secret');
    });

    it('a certificate given replaces the secret; saved again without its private key it keeps the key of the same certificate', async () => {
      await mailwright.exchangeSettings.save('exchange', { ...base, certificate: { thumbprintSha256: THUMBPRINT, privateKey: KEY } });
      expect((await opened()).clientSecret).toBeUndefined();
      expect(await mailwright.exchangeSettings.save('exchange', { ...base, certificate: { thumbprintSha256: THUMBPRINT.toUpperCase(), x5c: 'chain' } })).toMatchObject({
        credential: 'certificate',
        certificateThumbprintSha256: THUMBPRINT.toUpperCase(),
      });
      expect((await opened()).certificate).toEqual({ thumbprintSha256: THUMBPRINT.toUpperCase(), privateKey: KEY, x5c: 'chain' });
      // Left out altogether, the stored certificate is kept too.
      expect(await mailwright.exchangeSettings.save('exchange', base)).toMatchObject({ credential: 'certificate' });
    });

    it('another certificate needs its own private key; a secret given replaces the certificate', async () => {
      const other = await expectMailwrightError(mailwright.exchangeSettings.save('exchange', { ...base, certificate: { thumbprintSha256: 'cd'.repeat(32) } }), ErrorCodes.INVALID_SETTINGS);
      expect(other.details.issues).toEqual([expect.objectContaining({ field: 'certificate.privateKey', messageKey: 'certificateNeedsPrivateKey' })]);
      await mailwright.exchangeSettings.save('exchange', { ...base, clientSecret: 'second~secret' });
      expect(await opened()).toMatchObject({ clientSecret: 'second~secret' });
      expect((await opened()).certificate).toBeUndefined();
      const both = await expectMailwrightError(mailwright.exchangeSettings.save('exchange', { ...base, clientSecret: 's', certificate: { thumbprintSha256: THUMBPRINT, privateKey: KEY } }), ErrorCodes.INVALID_SETTINGS);
      expect(both.details.issues).toEqual([expect.objectContaining({ field: 'clientSecret', messageKey: 'oneCredential' })]);
    });

    it('an uppercase client id is accepted, and the view never holds a secret', async () => {
      const view = await mailwright.exchangeSettings.get('exchange');
      expect(view).toMatchObject({ clientId: CLIENT });
      expect(JSON.stringify(view)).not.toMatch(/secret~|PRIVATE KEY/);
    });
  });
});
