import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { emlProvider } from '../../../src/providers/eml/eml-provider.js';
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

  it('reports an unwritable folder as a classified failure', async () => {
    const notAFolder = join(dir, 'plain-file');
    await writeFile(notAFolder, 'x');
    const error = await emlProvider({ directory: join(notAFolder, 'eml') })
      .send(testMessage(), { mode: 'interactive', emailId: 'x', attempt: 1 })
      .catch((e: { code: string; failure?: unknown }) => e);
    expect(error).toMatchObject({ code: 'MW_DELIVERY_FAILED', failure: expect.objectContaining({ message: expect.stringContaining('Cannot write') }) });
  });
});
