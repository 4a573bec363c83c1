import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { assertWithinSizeLimit, encodeMessageToBuffer, measureEncodedSize } from '../../src/message/encode-message.js';
import type { MessageInput } from '../../src/message/message.js';
import { validateMessage } from '../../src/message/validate-message.js';

const options = { from: { name: 'Ana', address: 'Ana@Contoso.com' }, messageIdDomain: 'contoso.com', now: new Date('2026-11-24T09:00:00Z') };
const base: MessageInput = { to: 'customer@example.com', subject: 'Hello', text: 'Body' };
const codeOf = (input: MessageInput): Promise<string | undefined> => validateMessage(input, options).then(() => undefined, (e: MailwrightError) => e.code);

describe('validateMessage', () => {
  it('normalizes and assigns a Message-ID', async () => {
    const message = await validateMessage({ ...base, cc: ['a@contoso.com', 'B <b@contoso.com>'] }, options);
    expect(message.from).toEqual({ name: 'Ana', address: 'Ana@Contoso.com' });
    expect(message.cc).toEqual([{ address: 'a@contoso.com' }, { name: 'B', address: 'b@contoso.com' }]);
    expect(message.messageId).toMatch(/^<[0-9a-f-]{36}@contoso\.com>$/);
    expect(message.date).toEqual(options.now);
  });

  it.each<[string, MessageInput, string]>([
    ['no recipient', { subject: 's', text: 't' }, ErrorCodes.NO_RECIPIENTS],
    ['CRLF in subject', { ...base, subject: 'Hi\r\nBcc: x@y.com' }, ErrorCodes.INVALID_HEADER],
    ['LF in header value', { ...base, headers: { 'X-Case': 'a\nb' } }, ErrorCodes.INVALID_HEADER],
    ['bad header name', { ...base, headers: { 'X Case': 'a' } }, ErrorCodes.INVALID_HEADER],
    ['owned header', { ...base, headers: { From: 'evil@example.com' } }, ErrorCodes.INVALID_HEADER],
    ['bad Message-ID', { ...base, messageId: 'no-brackets' }, ErrorCodes.INVALID_HEADER],
    ['no body', { to: 'a@b.com', subject: 's' }, ErrorCodes.INVALID_MESSAGE],
    ['attachment path separator', { ...base, attachments: [{ filename: '../etc/passwd', content: 'x' }] }, ErrorCodes.INVALID_MESSAGE],
    ['attachment CRLF name', { ...base, attachments: [{ filename: 'a\r\n.pdf', content: 'x' }] }, ErrorCodes.INVALID_MESSAGE],
    ['attachment with two sources', { ...base, attachments: [{ filename: 'a.pdf', content: 'x', path: '/etc/hosts' }] }, ErrorCodes.INVALID_MESSAGE],
    ['missing attachment file', { ...base, attachments: [{ filename: 'a.pdf', path: '/nonexistent/a.pdf' }] }, ErrorCodes.ATTACHMENT_UNREADABLE],
    ['bad recipient', { ...base, bcc: 'nope' }, ErrorCodes.INVALID_ADDRESS],
  ])('%s → typed error', async (_name, input, code) => {
    expect(await codeOf(input)).toBe(code);
  });

  it('refuses a field it does not know, so a misspelt one never sends the email without it', async () => {
    const refused = async (input: object): Promise<MailwrightError> =>
      validateMessage(input as MessageInput, options).then(
        () => {
          throw new Error('accepted');
        },
        (e: MailwrightError) => e,
      );
    const attachments = await refused({ ...base, attachements: [{ filename: 'invoice.pdf', content: 'x' }] });
    expect(attachments).toMatchObject({ code: ErrorCodes.INVALID_MESSAGE, details: { unknown: ['attachements'] } });
    expect(attachments.message).toBe(
      'Invalid message: "attachements" is not a field; the fields are from, sender, replyTo, to, cc, bcc, subject, text, html, headers, attachments, messageId, envelopeTo, envelopeFrom, userId.',
    );
    expect((await refused({ ...base, Bcc: 'boss@contoso.com' })).details).toMatchObject({ unknown: ['Bcc'] });
    const typed = await refused({ ...base, attachments: [{ filename: 'a.pdf', content: 'x' }, { filename: 'b.pdf', content: 'x', contentTyp: 'application/pdf' }] });
    expect(typed.message).toBe('Invalid attachment 2: "contentTyp" is not a field; the fields are filename, contentType, content, path, cid.');
    expect(typed.details).toMatchObject({ field: 'attachments[1]' });
    // A draft from compose() carries the user it is for.
    expect(await codeOf({ ...base, userId: 'ana' } as MessageInput)).toBeUndefined();
  });
});

describe('encoding and the size limit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-encode-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('measures exactly the bytes it encodes, streaming path attachments', async () => {
    const path = join(dir, 'data.bin');
    const bytes = Buffer.alloc(300_000, 0xab);
    await writeFile(path, bytes);
    const message = await validateMessage({ ...base, messageId: '<fixed@contoso.com>', attachments: [{ filename: 'data.bin', path }] }, options);
    const encoded = await encodeMessageToBuffer(message);
    expect(await measureEncodedSize(message)).toBe(encoded.length);
    const parsed = await simpleParser(encoded);
    expect(parsed.attachments[0]?.content.equals(bytes)).toBe(true);
    expect(parsed.messageId).toBe('<fixed@contoso.com>');
  });

  it('keeps address casing and display names exactly, punycoding only IDN domains', async () => {
    const message = await validateMessage(
      { to: 'Kim <kim@Bücher.example>', cc: 'Ops@Contoso.COM', subject: 'Ünïcode', text: 't' },
      { ...options, from: { name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' } },
    );
    const head = (await encodeMessageToBuffer(message)).toString().split('\r\n\r\n')[0] ?? '';
    expect(head).toContain('<Ana.Nunez@Contoso.com>');
    expect(head).toContain('Cc: Ops@Contoso.COM');
    expect(head).toContain('kim@xn--bcher-kva.example');
    const parsed = await simpleParser(await encodeMessageToBuffer(message));
    expect(parsed.from?.value[0]?.name).toBe('Ana María Núñez');
    expect(parsed.subject).toBe('Ünïcode');
  });

  it('generates a Message-ID with the A-label of an internationalized domain (no Unicode in headers)', async () => {
    const message = await validateMessage({ to: 'kim@example.com', subject: 's', text: 't' }, { ...options, from: { address: 'kim@bücher.example' }, messageIdDomain: 'Bücher.example' });
    expect(message.messageId).toMatch(/^<[0-9a-f-]+@xn--bcher-kva\.example>$/);
  });

  it('refuses an email over the limit, listing attachments and sizes', async () => {
    const message = await validateMessage({ ...base, attachments: [{ filename: 'a.bin', content: Buffer.alloc(6000) }, { filename: 'b.bin', content: Buffer.alloc(100) }] }, options);
    const size = await measureEncodedSize(message);
    expect(await assertWithinSizeLimit(message, size)).toBe(size);
    const error = await assertWithinSizeLimit(message, size - 1).catch((e: MailwrightError) => e);
    expect(error).toMatchObject({
      code: ErrorCodes.ATTACHMENT_TOO_LARGE,
      details: { sizeBytes: size, limitBytes: size - 1, attachments: [{ filename: 'a.bin', sizeBytes: 6000 }, { filename: 'b.bin', sizeBytes: 100 }] },
    });
    expect((error as MailwrightError).message).toContain('a.bin');
  });
});
