import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { ProviderSelectionRequired } from '../../src/providers/provider-selection-required.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const SEND_AS_DENIED = '5.7.1 Client does not have permissions to send as this sender';

describe('interactive send through a real SMTP server and a SQLite file', () => {
  let server: SmtpTestServer;
  let dir: string;
  let users: InMemoryUserDirectory;
  let mailwright: Mailwright;
  const clock = new ManualClock('2026-11-24T09:00:00.000Z');

  beforeAll(async () => {
    server = await startSmtpTestServer({
      auth: { username: 'mailer@contoso.com', password: 'S3cret!pass' },
      rules: [{ from: 'bob@contoso.com', code: 550, message: SEND_AS_DENIED }],
    });
    dir = await mkdtemp(join(tmpdir(), 'mw-send-'));
  });

  beforeEach(async () => {
    server.reset();
    users = new InMemoryUserDirectory([
      { id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez', options: { providerId: 'smtp' } },
      { id: 'bob', email: 'bob@contoso.com', displayName: 'Bob', options: { providerId: 'smtp' } },
      { id: 'sales', email: 'carl@contoso.com', displayName: 'Carl', options: { providerId: 'behalf', senderEmail: 'Sales@Contoso.com', senderName: 'Contoso Sales' } },
      { id: 'new', email: 'new@contoso.com', displayName: 'New Hire' },
      { id: 'guest', email: 'guest@partner.com', external: true },
    ]);
    const settings = {
      host: '127.0.0.1',
      port: server.port,
      requireTls: true,
      username: 'mailer@contoso.com',
      password: 'S3cret!pass',
      ca: server.certificate,
      servername: 'localhost',
    };
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, `history-${Date.now()}-${Math.random()}.db`) }),
      providers: [
        smtpProvider({ id: 'smtp', settings }),
        smtpProvider({ id: 'behalf', settings: { ...settings, mailbox: 'mailer@contoso.com' }, senderMode: 'sendOnBehalf' }),
        smtpProvider({ id: 'batch-only', settings, interactive: false }),
        emlProvider({ directory: join(dir, 'eml') }),
      ],
      users,
      clock,
      secretKey: Buffer.alloc(32, 7).toString('base64'),
    });
  });

  afterEach(async () => mailwright.close());
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('compose resolves From from the directory; send delivers it exactly and records history', async () => {
    const pdf = join(dir, 'quote.pdf');
    const pdfBytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
    await writeFile(pdf, pdfBytes);
    const draft = await mailwright.compose(
      { to: 'Customer <customer@example.com>', subject: 'Quote 7', text: 'Attached.', attachments: [{ filename: 'quote.pdf', path: pdf }] },
      'ana',
    );
    expect(draft.from).toEqual({ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' });

    const result = await mailwright.send(draft);
    expect(result.status).toBe('sent');

    const [received] = server.messages;
    expect(received?.envelope.mailFrom).toBe('Ana.Nunez@Contoso.com');
    expect(received?.parsed.from?.value).toEqual([{ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' }]);
    expect(received?.parsed.headers.get('sender')).toBeUndefined();
    expect(received?.parsed.attachments[0]?.content.equals(pdfBytes)).toBe(true);
    expect(received?.secure).toBe(true);

    const entry = await mailwright.history.get(result.emailId);
    expect(entry).toMatchObject({ status: 'sent', mode: 'interactive', providerId: 'smtp', userId: 'ana', attempts: 1, subject: 'Quote 7' });
    expect(entry?.from).toContain('Ana.Nunez@Contoso.com');
    expect(entry?.recipients).toEqual([expect.objectContaining({ address: 'customer@example.com', status: 'accepted' })]);
    expect(entry?.sizeBytes).toBeGreaterThan(pdfBytes.length);
    expect(entry?.attemptLog).toHaveLength(1);
    expect(entry?.attemptLog[0]?.transcript ?? '').not.toContain('S3cret!pass');
  });

  it('Send On Behalf with a "Sender email" override: From = override, Sender = mailbox', async () => {
    await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'sales'));
    const [received] = server.messages;
    expect(received?.parsed.from?.value).toEqual([{ name: 'Contoso Sales', address: 'Sales@Contoso.com' }]);
    expect(received?.parsed.headers.get('sender')).toEqual(expect.objectContaining({ value: [{ name: '', address: 'mailer@contoso.com' }] }));
  });

  it('asks for a provider when the user has none, and remembers "do not ask again"', async () => {
    const draft = await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'new');
    const error = await mailwright.send(draft).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderSelectionRequired);
    expect((error as ProviderSelectionRequired).code).toBe(ErrorCodes.PROVIDER_SELECTION_REQUIRED);
    expect((error as ProviderSelectionRequired).choices.map((c) => c.id)).toEqual(['smtp', 'behalf', 'eml']);
    expect(server.messages).toHaveLength(0);

    await mailwright.send(draft, { provider: 'eml', rememberChoice: true });
    expect((await users.getUser('new'))?.options).toMatchObject({ providerId: 'eml', doNotAskAgain: true });
    const again = await mailwright.send(draft);
    expect(again.status).toBe('exported');
  });

  it('reports a message to correct before asking for a provider', async () => {
    const draft = await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'new');
    await expect(mailwright.send({ ...draft, to: 'not an address' })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ADDRESS, details: { field: 'to' } });
    await expect(mailwright.send({ ...draft, attachments: [{ filename: 'gone.pdf', path: join(dir, 'gone.pdf') }] })).rejects.toMatchObject({
      code: ErrorCodes.ATTACHMENT_UNREADABLE,
    });
    await expect(mailwright.send(draft)).rejects.toBeInstanceOf(ProviderSelectionRequired);
  });

  it('"do not ask again" stores only a choice the user is offered, and a stored choice no longer offered asks again', async () => {
    const guestDraft = await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'guest');
    await expect(mailwright.send(guestDraft, { provider: 'batch-only', rememberChoice: true })).rejects.toMatchObject({ code: ErrorCodes.PROVIDER_NOT_ALLOWED });
    expect((await users.getUser('guest'))?.options?.providerId).toBeUndefined();
    for (const stale of ['exchange', 'batch-only', 'removed-provider']) {
      await users.updateOptions('new', { providerId: stale, doNotAskAgain: true });
      const error = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'new')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderSelectionRequired);
    }
    expect(server.messages).toHaveLength(0);
  });

  it('refuses options it does not know, or of the wrong kind, before anything is sent or recorded', async () => {
    const draft = await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'new');
    const historyBefore = (await mailwright.history.list({})).items.length;
    const typo = await mailwright.send(draft, { provder: 'eml' } as never).catch((e: unknown) => e);
    expect(typo).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, message: 'Invalid send options: (options): Unrecognized key: "provder".' });
    await expect(mailwright.send(draft, { provider: 'eml', rememberChoice: 'yes' } as never)).rejects.toThrow(
      'Invalid send options: rememberChoice: Invalid input: expected boolean, received string.',
    );
    await expect(mailwright.send(draft, { provider: ' ' })).rejects.toThrow('provider must not be empty');
    expect(server.messages).toHaveLength(0);
    expect((await mailwright.history.list({})).items).toHaveLength(historyBefore);
    expect((await users.getUser('new'))?.options?.providerId).toBeUndefined();
  });

  it('refuses a provider that is not interactive', async () => {
    const draft = await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'ana');
    await expect(mailwright.send(draft, { provider: 'batch-only' })).rejects.toMatchObject({ code: ErrorCodes.PROVIDER_NOT_ALLOWED });
    expect(server.messages).toHaveLength(0);
  });

  it('a 550 5.7.1 refusal ends failed with the classified failure and transcript in history', async () => {
    const error = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Case 9', text: 'x' }, 'bob')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailwrightError);
    const typed = error as MailwrightError;
    expect(typed.code).toBe(ErrorCodes.SEND_AS_DENIED);
    expect(typed.permanent).toBe(true);
    const entry = await mailwright.history.get(typed.details.emailId as string);
    expect(entry?.status).toBe('failed');
    expect(entry?.failure).toMatchObject({ code: 'MW_SEND_AS_DENIED', smtpCode: 550, enhancedCode: '5.7.1', permanent: true });
    expect(entry?.failure?.fix).toMatch(/Send As/);
    expect(entry?.failure?.transcript).toContain('5.7.1');
    expect(entry?.failure?.transcript).not.toContain('S3cret!pass');
    expect(server.messages).toHaveLength(0);
  });

  it.each([
    ['garbage address', { to: 'not an address', subject: 's', text: 't' }, ErrorCodes.INVALID_ADDRESS],
    ['CRLF in the subject', { to: 'c@example.com', subject: 'Hi\r\nBcc: victim@example.com', text: 't' }, ErrorCodes.INVALID_HEADER],
    ['CRLF in a header value', { to: 'c@example.com', subject: 's', text: 't', headers: { 'X-Case': '1\r\nBcc: v@example.com' } }, ErrorCodes.INVALID_HEADER],
    ['no recipient', { subject: 's', text: 't' }, ErrorCodes.NO_RECIPIENTS],
    // Header lines end by 998 characters; a header folds only at spaces.
    ['a 3,000-character subject without a space', { to: 'c@example.com', subject: 'x'.repeat(3000), text: 't' }, ErrorCodes.INVALID_HEADER],
    ['an X- header value of 1,000 characters without a space', { to: 'c@example.com', subject: 's', text: 't', headers: { 'X-Token': 'a'.repeat(1000) } }, ErrorCodes.INVALID_HEADER],
    ['a 1,500-character file name', { to: 'c@example.com', subject: 's', text: 't', attachments: [{ filename: `${'n'.repeat(1500)}.txt`, content: 'x' }] }, ErrorCodes.INVALID_HEADER],
    ['a missing attachment file', { to: 'c@example.com', subject: 's', text: 't', attachments: [{ filename: 'a.pdf', path: '/nonexistent/a.pdf' }] }, ErrorCodes.ATTACHMENT_UNREADABLE],
  ])('bad input (%s) is a typed error and nothing is sent or recorded', async (_name, message, code) => {
    const error = await mailwright.send(message, { userId: 'ana' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as Error).message.length).toBeGreaterThan(10);
    expect(server.messages).toHaveLength(0);
    expect((await mailwright.history.list()).items).toHaveLength(0);
  });

  it('a long subject with spaces, or in another script, is folded and sent', async () => {
    const subject = `${'word '.repeat(400)}${'é'.repeat(1200)}`;
    await mailwright.send({ to: 'c@example.com', subject, text: 't' }, { userId: 'ana' });
    const [received] = await server.waitForMessages(1);
    expect(received?.parsed.subject).toBe(subject.trim());
    expect(received?.raw.toString('latin1').split('\r\n').every((line) => line.length <= 998)).toBe(true);
  });

  it('an email over the attachment size limit is refused before the provider is called', async () => {
    await mailwright.parameters.update({ attachmentSizeLimitBytes: 10_000 });
    const big = { filename: 'big.bin', content: Buffer.alloc(20_000, 1) };
    const error = await mailwright.send({ to: 'c@example.com', subject: 's', text: 't', attachments: [big] }, { userId: 'ana' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.ATTACHMENT_TOO_LARGE, details: expect.objectContaining({ limitBytes: 10_000 }) });
    expect(((error as MailwrightError).details.sizeBytes as number) > 20_000).toBe(true);
    expect(server.messages).toHaveLength(0);
  });

  it('sendTestEmail reports the classified result and records it', async () => {
    const ok = await mailwright.sendTestEmail({ provider: 'smtp', to: 'admin@example.com', from: 'mailer@contoso.com' });
    expect(ok.ok).toBe(true);
    const refused = await mailwright.sendTestEmail({ provider: 'smtp', to: 'admin@example.com', from: 'bob@contoso.com' });
    expect(refused.ok).toBe(false);
    if (refused.ok) throw new Error('unreachable');
    expect(refused.failure).toMatchObject({ code: 'MW_SEND_AS_DENIED', permanent: true });
    const failed = await mailwright.history.list({ status: 'failed' });
    expect(failed.items.map((r) => r.id)).toEqual([refused.emailId]);
    expect(failed.items[0]?.meta).toEqual({ testEmail: true });
  });

  it('external users cannot use Exchange; the choice list hides it', async () => {
    const draft = { to: 'c@example.com', subject: 's', text: 't' };
    const error = await mailwright.send(draft, { userId: 'guest' }).catch((e: unknown) => e);
    expect((error as ProviderSelectionRequired).choices.map((c) => c.kind)).not.toContain('exchange');
  });
});
