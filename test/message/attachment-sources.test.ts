import { once } from 'node:events';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import type { MessageInput } from '../../src/message/message.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const SECRET_FILE_TEXT = 'MAILWRIGHT_SECRET_KEY=not-for-the-customer';

describe('attachment sources: content is bytes, text or a stream; a path may be held to a root (real SMTP server)', () => {
  let dir: string;
  let root: string;
  let secretFile: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let rooted: Mailwright;
  const users = new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } }]);
  const message = (attachments: unknown[]): MessageInput => ({ to: 'customer@example.com', subject: 'Quote', text: 'See attached', attachments: attachments as MessageInput['attachments'] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-attachment-sources-'));
    root = join(dir, 'exports');
    await mkdir(root);
    secretFile = join(dir, '.env');
    await writeFile(secretFile, SECRET_FILE_TEXT);
    await writeFile(join(root, 'quote.pdf'), '%PDF-quote');
    await symlink(secretFile, join(root, 'link-to-env.pdf'));
    server = await startSmtpTestServer({ starttls: false });
    const options = { providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, mailbox: 'ana@contoso.com' } })], users };
    mailwright = await createMailwright({ ...options, store: createSqliteStore({ filename: join(dir, 'open.db') }) });
    rooted = await createMailwright({ ...options, store: createSqliteStore({ filename: join(dir, 'rooted.db') }), attachmentRoot: root });
    await rooted.parameters.update({ batchProviderId: 'smtp' });
  });
  afterAll(async () => {
    await mailwright?.close();
    await rooted?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  it('content given as { path } is refused with MW_INVALID_MESSAGE: the file is not read, nothing is sent', async () => {
    const error = await expectMailwrightError(mailwright.send(message([{ filename: 'notes.txt', content: { path: secretFile } }]), { userId: 'ana' }), ErrorCodes.INVALID_MESSAGE);
    expect(error.details).toMatchObject({ field: 'attachments[0].content' });
    expect(error.message).toBe('The content of attachment "notes.txt" must be a Buffer, a string or a readable stream; got an object.');
    expect(error.fix).toContain('path');
    expect(server.messages).toEqual([]);
  });

  it('content given as { href } is refused with MW_INVALID_MESSAGE, and no URL is fetched', async () => {
    let fetched = 0;
    const web = createServer((_req, res) => {
      fetched += 1;
      res.end('remote');
    });
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');
    try {
      const href = `http://127.0.0.1:${(web.address() as AddressInfo).port}/x`;
      const error = await expectMailwrightError(mailwright.send(message([{ filename: 'remote.txt', content: { href } }]), { userId: 'ana' }), ErrorCodes.INVALID_MESSAGE);
      expect(error.details).toMatchObject({ field: 'attachments[0].content' });
      await expectMailwrightError(mailwright.enqueue(message([{ filename: 'remote.txt', content: { href } }]), { userId: 'ana' }), ErrorCodes.INVALID_MESSAGE);
      expect(fetched).toBe(0);
    } finally {
      web.close();
    }
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['null', null],
    ['an array', [1, 2, 3]],
    ['a Uint8Array', new Uint8Array([1, 2])],
    ['an object with raw', { raw: 'Content-Type: text/plain\r\n\r\nx' }],
  ])('content given as %s is refused with MW_INVALID_MESSAGE', async (_name, content) => {
    const error = await expectMailwrightError(mailwright.send(message([{ filename: 'a.bin', content }]), { userId: 'ana' }), ErrorCodes.INVALID_MESSAGE);
    expect(error.details).toMatchObject({ field: 'attachments[0].content' });
  });

  it('a Buffer, a string and a readable stream arrive byte for byte, sent now or queued', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
    await mailwright.send(message([{ filename: 'a.bin', content: bytes }, { filename: 'b.txt', content: 'text' }, { filename: 'c.bin', content: Readable.from([Buffer.from('stream '), Buffer.from('chunks')]) }]), { userId: 'ana' });
    await rooted.enqueue(message([{ filename: 'd.bin', content: Readable.from(['queued ', 'stream']) }]), { userId: 'ana' });
    await rooted.distributor.runOnce();
    const [now, queued] = await server.waitForMessages(2);
    expect(now!.parsed.attachments.map((a) => a.content.toString('latin1'))).toEqual([bytes.toString('latin1'), 'text', 'stream chunks']);
    expect(queued!.parsed.attachments.map((a) => a.content.toString())).toEqual(['queued stream']);
  });

  it('with attachmentRoot, a path inside it is sent', async () => {
    await rooted.send(message([{ filename: 'quote.pdf', path: join(root, 'quote.pdf') }]), { userId: 'ana' });
    const [received] = await server.waitForMessages(1);
    expect(received!.parsed.attachments[0]?.content.toString()).toBe('%PDF-quote');
  });

  it.each<[string, () => string]>([
    ['a file outside it', () => secretFile],
    ['a path climbing out of it with ..', () => join(root, '..', '.env')],
    ['a symbolic link inside it to a file outside', () => join(root, 'link-to-env.pdf')],
    ['any other file of the machine', () => process.execPath],
  ])('with attachmentRoot, %s is refused with MW_ATTACHMENT_PATH_NOT_ALLOWED; nothing sent or queued', async (_name, path) => {
    const error = await expectMailwrightError(rooted.send(message([{ filename: 'x.pdf', path: path() }]), { userId: 'ana' }), ErrorCodes.ATTACHMENT_PATH_NOT_ALLOWED);
    expect(error.details).toMatchObject({ field: 'attachments[0].path', root });
    expect(error.fix).toContain('attachmentRoot');
    await expectMailwrightError(rooted.enqueue(message([{ filename: 'x.pdf', path: path() }]), { userId: 'ana' }), ErrorCodes.ATTACHMENT_PATH_NOT_ALLOWED);
    expect(server.messages).toEqual([]);
    expect((await rooted.history.list({ status: 'queued' })).items).toEqual([]);
  });

  it('attachmentRoot must be a non-blank string', async () => {
    for (const attachmentRoot of ['', '  ', 7]) {
      await expectMailwrightError(createMailwright({ providers: [], users, store: createSqliteStore({ filename: ':memory:' }), attachmentRoot: attachmentRoot as string }), ErrorCodes.INVALID_SETTINGS);
    }
  });
});
