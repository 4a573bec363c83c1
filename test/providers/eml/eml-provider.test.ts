import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { MailwrightError } from '../../../src/errors/mailwright-error.js';
import { createMailwright } from '../../../src/mailwright.js';
import { emlProvider } from '../../../src/providers/eml/eml-provider.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../../support/expect-mailwright-error.js';
import { testMessage } from '../../support/test-message.js';

describe('EML provider ("Use an email app")', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-eml-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes an unsent draft with every recipient and attachment intact', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 0xff]);
    const message = testMessage({
      subject: 'Prix demandé — 40 unités',
      html: '<p>Bonjour</p>',
      cc: [{ name: 'Accounts', address: 'Accounts@Contoso.com' }],
      bcc: [{ address: 'audit@contoso.com' }],
      attachments: [{ filename: 'quote.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    const receipt = await emlProvider({ directory: dir }).send(message, { mode: 'interactive', emailId: 'email-1', attempt: 1 });
    expect(receipt.status).toBe('exported');
    expect(receipt.artifact?.path).toBe(join(dir, 'email-1.eml'));
    const bytes = await readFile(join(dir, 'email-1.eml'));
    expect(bytes.equals(receipt.artifact!.content)).toBe(true);
    expect(receipt.sizeBytes).toBe(bytes.length);

    const parsed = await simpleParser(bytes);
    expect(parsed.headers.get('x-unsent')).toBe('1');
    expect(parsed.from?.value).toEqual([{ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' }]);
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value : []).toEqual([{ name: 'Accounts', address: 'Accounts@Contoso.com' }]);
    expect(parsed.bcc && !Array.isArray(parsed.bcc) ? parsed.bcc.value : []).toEqual([{ name: '', address: 'audit@contoso.com' }]);
    expect(parsed.subject).toBe('Prix demandé — 40 unités');
    expect(parsed.messageId).toBe(message.messageId);
    expect(parsed.attachments[0]?.content.equals(pdf)).toBe(true);
    expect(parsed.attachments[0]?.filename).toBe('quote.pdf');
  });

  it('can return the bytes without writing a file', async () => {
    const receipt = await emlProvider({ write: false }).send(testMessage(), { mode: 'interactive', emailId: 'x', attempt: 1 });
    expect(receipt.artifact?.path).toBeUndefined();
    expect(receipt.artifact?.content.toString()).toContain('X-Unsent: 1');
  });

  it('reports a folder under a plain file as MW_EXPORT_FAILED (the draft could not be written), not as a server refusal', async () => {
    const notAFolder = join(dir, 'plain-file');
    await writeFile(notAFolder, 'x');
    const error = await emlProvider({ directory: join(notAFolder, 'eml') })
      .send(testMessage(), { mode: 'interactive', emailId: 'x', attempt: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailwrightError);
    expect(error).toMatchObject({
      code: ErrorCodes.EXPORT_FAILED,
      permanent: true,
      fix: expect.stringContaining("Check that the eml provider's `directory` option names a folder that exists or can be created, and that the application may write there"),
      failure: expect.objectContaining({ code: ErrorCodes.EXPORT_FAILED, category: 'configuration', permanent: true, message: expect.stringMatching(/^Cannot write .*ENOTDIR/) }),
    });
    const { message, fix } = error as MailwrightError;
    expect(message).toMatch(/^The \.eml draft file could not be written.* The system said: Cannot write /);
    expect(`${message} ${fix}`).not.toMatch(/server refused|mail administrator/i);
  });

  it('a path that reads like a server reply (certificate, user unknown) is still MW_EXPORT_FAILED', async () => {
    const notAFolder = join(dir, 'certificate user unknown');
    await writeFile(notAFolder, 'x');
    const error = await emlProvider({ directory: join(notAFolder, 'eml') })
      .send(testMessage(), { mode: 'interactive', emailId: 'x', attempt: 1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.EXPORT_FAILED, permanent: true });
  });

  it('send() and sendTestEmail() record MW_EXPORT_FAILED with its fix in the history', async () => {
    const notAFolder = join(dir, 'plain-file-2');
    await writeFile(notAFolder, 'x');
    const mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'history.db') }),
      providers: [emlProvider({ directory: join(notAFolder, 'eml') })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', displayName: 'Ana', options: { providerId: 'eml' } }]),
      secretKey: Buffer.alloc(32, 7).toString('base64'),
    });
    try {
      const error = await expectMailwrightError(mailwright.send({ to: 'x@example.com', subject: 's', text: 't' }, { userId: 'ana' }), ErrorCodes.EXPORT_FAILED);
      expect(error.fix).toMatch(/`directory` option/);
      const test = await mailwright.sendTestEmail({ provider: 'eml', to: 'x@example.com', userId: 'ana' });
      if (test.ok) throw new Error('the test email should fail');
      expect(test.failure).toMatchObject({ code: ErrorCodes.EXPORT_FAILED, permanent: true, fix: error.fix });
      const failed = await mailwright.history.list({ status: 'failed' });
      expect(failed.items.map((r) => r.failure?.code)).toEqual([ErrorCodes.EXPORT_FAILED, ErrorCodes.EXPORT_FAILED]);
    } finally {
      await mailwright.close();
    }
  });
});
