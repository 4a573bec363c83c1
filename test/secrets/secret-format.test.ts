import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { exchangeProvider } from '../../src/providers/exchange/exchange-provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import type { EncryptedSecret } from '../../src/secrets/secret-box.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const KEY = Buffer.alloc(32, 9);
const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const kid = createHash('sha256').update(KEY).digest('hex').slice(0, 8);
const box = createSecretBox({ key: KEY });

/** Secrets sealed by mailwright before associated data (format v1, written by createSecretBox with this key). */
const LEGACY_PASSWORD: EncryptedSecret = { v: 1, alg: 'aes-256-gcm', kid: '8c0cc17a', iv: '27XEv+LGIR+9LbVp', tag: 'Oa4jqDfuKSitMhtP0MBDIA==', data: '7V8Z3Vr3tvFMoJ8=' };
const LEGACY_CLIENT_SECRET: EncryptedSecret = { v: 1, alg: 'aes-256-gcm', kid: '8c0cc17a', iv: 'DQ8WTfSmP6K6lmBQ', tag: 'DWgsThska5ddNOH7C+KjdQ==', data: 'lE1NB0o+w4h9L6Ej1B7E+I/WFag=' };

const unreadable = (fn: () => unknown): MailwrightError => {
  try {
    fn();
  } catch (error) {
    expect((error as MailwrightError).code).toBe(ErrorCodes.SECRET_UNREADABLE);
    return error as MailwrightError;
  }
  throw new Error('expected MW_SECRET_UNREADABLE, but the secret was opened');
};

/** AES-256-GCM as anyone holding the key could write it: any IV length, the tag cut to `tagBytes`. */
function sealRaw(plain: string, ivBytes: number, tagBytes = 16, v: 1 | 2 = 1): EncryptedSecret {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { v, alg: 'aes-256-gcm', kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().subarray(0, tagBytes).toString('base64'), data: data.toString('base64') } as EncryptedSecret;
}

describe('sealed secrets: strict AES-GCM, bound to their setting, old format readable', () => {
  it.each([12, 8, 4])('a tag truncated to %i bytes is refused (MW_SECRET_UNREADABLE, corrupt)', (bytes) => {
    const sealed = box.encrypt('S3cret!pass', 'provider:smtp#password');
    const cut = { ...sealed, tag: Buffer.from(sealed.tag, 'base64').subarray(0, bytes).toString('base64') };
    expect(unreadable(() => box.decrypt(cut, 'SMTP password', 'provider:smtp#password')).details.reason).toBe('corrupt');
    expect(unreadable(() => box.decrypt(sealRaw('S3cret!pass', 12, bytes), 'SMTP password')).details.reason).toBe('corrupt');
  });

  it.each([8, 16, 1])('an IV of %i bytes is refused', (bytes) => {
    expect(unreadable(() => box.decrypt(sealRaw('S3cret!pass', bytes), 'SMTP password')).details.reason).toBe('corrupt');
  });

  it('a new secret is format v2, opens only for the setting it was sealed for', () => {
    const sealed = box.encrypt('S3cret!pass', 'provider:smtp#password');
    expect(sealed).toMatchObject({ v: 2, alg: 'aes-256-gcm', kid });
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(box.decrypt(sealed, 'SMTP password', 'provider:smtp#password')).toBe('S3cret!pass');
    for (const other of ['provider:relay#password', 'provider:smtp#clientSecret', '', undefined]) {
      expect(unreadable(() => box.decrypt(sealed, 'SMTP password', other)).details.reason).toBe('corrupt');
    }
    // A v2 secret relabelled v1 (to skip the associated data) does not open either.
    unreadable(() => box.decrypt({ ...sealed, v: 1 } as EncryptedSecret, 'SMTP password'));
  });

  it('secrets stored in format v1 still open, for any setting', () => {
    expect(box.decrypt(LEGACY_PASSWORD, 'SMTP password', 'provider:smtp#password')).toBe('Legacy!pass');
    expect(box.decrypt(LEGACY_CLIENT_SECRET, 'Exchange client secret', 'provider:exchange#clientSecret')).toBe('legacy~client~secret');
    expect(box.decrypt(sealRaw('written-by-v1', 12), 'SMTP password')).toBe('written-by-v1');
  });

  describe('through stored provider settings (real SQLite file and SMTP server)', () => {
    let dir: string;
    let server: SmtpTestServer;
    let mailwright: Mailwright;
    const settings = (port: number) => ({ host: '127.0.0.1', port, requireTls: false, allowInsecureAuth: true, username: 'mailer@contoso.com', mailbox: 'mailer@contoso.com' });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mw-secret-format-'));
      server = await startSmtpTestServer({ starttls: false, auth: { username: 'mailer@contoso.com', password: 'Legacy!pass' } });
      mailwright = await createMailwright({
        store: createSqliteStore({ filename: join(dir, 'mw.db') }),
        providers: [smtpProvider({ id: 'smtp' }), smtpProvider({ id: 'relay' }), exchangeProvider({ id: 'exchange' })],
        users: new InMemoryUserDirectory([]),
        secretKey: KEY,
      });
    });
    afterAll(async () => {
      await mailwright?.close();
      await server?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('a password saved in format v1 still signs in', async () => {
      await mailwright.store.putSetting('provider:smtp', { ...settings(server.port), passwordSecret: LEGACY_PASSWORD });
      const result = await mailwright.sendTestEmail({ provider: 'smtp', to: 'customer@example.com', from: 'mailer@contoso.com' });
      expect(result.ok).toBe(true);
      expect(server.authAttempts.at(-1)).toEqual({ username: 'mailer@contoso.com', ok: true });
    });

    it("a sealed password moved into another provider's settings does not open there; nothing reaches the server", async () => {
      await mailwright.smtpSettings.save('smtp', { ...settings(server.port), password: 'Legacy!pass' });
      const stored = await mailwright.store.getSetting<{ passwordSecret: EncryptedSecret }>('provider:smtp');
      expect(stored?.passwordSecret.v).toBe(2);
      await mailwright.store.putSetting('provider:relay', { ...settings(server.port), passwordSecret: stored?.passwordSecret });
      const before = server.authAttempts.length;
      const result = await mailwright.sendTestEmail({ provider: 'relay', to: 'customer@example.com', from: 'mailer@contoso.com' });
      expect(result).toMatchObject({ ok: false, failure: { code: ErrorCodes.SECRET_UNREADABLE } });
      expect(server.authAttempts).toHaveLength(before);
      expect((await mailwright.sendTestEmail({ provider: 'smtp', to: 'customer@example.com', from: 'mailer@contoso.com' })).ok).toBe(true);
    });

    it('a sealed password moved into the Exchange client secret does not open there', async () => {
      const stored = await mailwright.store.getSetting<{ passwordSecret: EncryptedSecret }>('provider:smtp');
      await mailwright.store.putSetting('provider:exchange', { tenantId: TENANT, clientId: CLIENT, authorityHost: 'login.microsoftonline.com', batchMailbox: 'batch@contoso.com', saveToSentItems: true, clientSecretSecret: stored?.passwordSecret });
      const result = await mailwright.sendTestEmail({ provider: 'exchange', to: 'customer@example.com', from: 'batch@contoso.com' });
      expect(result).toMatchObject({ ok: false, failure: { code: ErrorCodes.SECRET_UNREADABLE } });
    });
  });
});
