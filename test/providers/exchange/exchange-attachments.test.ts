import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const MB = 1024 * 1024;

describe('Exchange provider: large attachments through upload sessions', () => {
  let fixture: ExchangeFixture;
  let dir: string;
  beforeEach(async () => {
    fixture = await exchangeFixture();
    await fixture.mailwright.parameters.update({ attachmentSizeLimitBytes: 40 * MB });
    dir = await mkdtemp(join(tmpdir(), 'mw-graph-att-'));
  });
  afterEach(async () => {
    await fixture.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a 10 MB file goes through a draft and an upload session in 320 KiB-multiple chunks of at most 4 MB, reassembled byte for byte', async () => {
    const big = randomBytes(10 * MB + 12_345);
    const path = join(dir, 'scan.bin');
    await writeFile(path, big);
    const small = Buffer.from('small attachment');
    const { mailwright, standIn } = fixture;
    const id = await mailwright.enqueue(
      { to: 'customer@example.com', subject: 'Big', text: 'see attached', attachments: [{ filename: 'note.txt', content: small }, { filename: 'scan.bin', path }] },
      { userId: 'ana' },
    );
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);

    const calls = standIn.requests.filter((r) => r.host !== 'login.microsoftonline.com').map((r) => `${r.method} ${r.host === 'outlook.office.com' ? 'outlook:upload' : r.path.replace(/messages\/[^/]+/, 'messages/{id}')}`);
    expect(calls).toEqual([
      `POST /v1.0/users/${BATCH}/messages`,
      `POST /v1.0/users/${BATCH}/messages/{id}/attachments`,
      `POST /v1.0/users/${BATCH}/messages/{id}/attachments/createUploadSession`,
      'PUT outlook:upload',
      'PUT outlook:upload',
      'PUT outlook:upload',
      `POST /v1.0/users/${BATCH}/messages/{id}/send`,
    ]);
    const [session] = standIn.graph.uploadSessions;
    expect(session?.size).toBe(big.length);
    const chunks = session?.chunks ?? [];
    expect(chunks.every((c) => !c.authorization && c.length <= 4 * MB && c.total === big.length)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.length % (320 * 1024) === 0)).toBe(true);
    expect(chunks.map((c) => c.start)).toEqual([0, chunks[0]!.length, chunks[0]!.length * 2]);
    expect(chunks.at(-1)?.end).toBe(big.length - 1);

    const [sent] = standIn.graph.sent;
    expect(sent?.route).toBe('draft');
    expect(sent?.attachments.map((a) => [a.name, a.bytes.length, sha256(a.bytes)])).toEqual([
      ['note.txt', small.length, sha256(small)],
      ['scan.bin', big.length, sha256(big)],
    ]);
    expect(standIn.graph.largestBody).toBeLessThanOrEqual(4 * MB);
    const record = await mailwright.history.get(id);
    expect(record?.status).toBe('sent');
  });

  it('small attachments whose total would pass 4 MB as JSON also go through a draft, one request each', async () => {
    const parts = [randomBytes(2 * MB), randomBytes(2 * MB)];
    await fixture.mailwright.enqueue({ to: 'c@example.com', subject: 'Two', text: 'x', attachments: parts.map((content, i) => ({ filename: `p${i}.bin`, content })) });
    await fixture.mailwright.distributor.runOnce();
    const [sent] = fixture.standIn.graph.sent;
    expect(sent?.route).toBe('draft');
    expect(sent?.attachments.map((a) => sha256(a.bytes))).toEqual(parts.map(sha256));
    expect(fixture.standIn.graph.largestBody).toBeLessThanOrEqual(4 * MB);
  });

  it('a failed upload deletes the draft and the email is retried later, never half-sent', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, randomBytes(5 * MB));
    fixture.standIn.failures.push({ method: 'POST', pathEndsWith: '/attachments/createUploadSession', status: 503, code: 'ServiceUnavailable', headers: { 'retry-after': '10' } });
    const id = await fixture.mailwright.enqueue({ to: 'c@example.com', subject: 'Retry', text: 'x', attachments: [{ filename: 'big.bin', path }] });
    await fixture.mailwright.distributor.runOnce();
    expect(fixture.standIn.graph.deletedDrafts).toHaveLength(1);
    expect(fixture.standIn.graph.drafts.size).toBe(0);
    expect(fixture.standIn.graph.sent).toHaveLength(0);
    const waiting = await fixture.mailwright.history.get(id);
    expect(waiting?.failure?.code).toBe('MW_SERVICE_UNAVAILABLE');
    fixture.clock.advance({ minutes: 10 });
    await fixture.mailwright.distributor.runOnce();
    expect(fixture.standIn.graph.sent).toHaveLength(1);
    expect((await fixture.mailwright.history.get(id))?.status).toBe('sent');
  });

  it('a 429 answer to the draft\'s send deletes the draft (nothing left to send by hand); the retry sends once', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, randomBytes(5 * MB));
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/send', status: 429, code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.', headers: { 'retry-after': '1' } });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'Throttled', text: 'x', attachments: [{ filename: 'big.bin', path }] });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    expect((await mailwright.history.get(id))?.failure?.code).toBe('MW_RATE_LIMITED');
    expect(standIn.graph.drafts.size).toBe(0);
    expect(standIn.graph.deletedDrafts).toHaveLength(1);
    expect(standIn.graph.sent).toHaveLength(0);
    clock.advance({ minutes: 10 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);
    expect(standIn.graph.sent).toHaveLength(1);
    expect(standIn.graph.drafts.size).toBe(0);
  });

  it('a 403 refusal of the draft\'s send deletes the draft; the email fails without leaving it in the batch mailbox', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, randomBytes(5 * MB));
    const { mailwright, standIn } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/send', status: 403, code: 'ErrorSendAsDenied', message: 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'Denied', text: 'x', attachments: [{ filename: 'big.bin', path }] });
    expect((await mailwright.distributor.runOnce()).failed).toBe(1);
    expect((await mailwright.history.get(id))?.failure?.code).toBe('MW_SEND_AS_DENIED');
    expect(standIn.graph.drafts.size).toBe(0);
    expect(standIn.graph.sent).toHaveLength(0);
  });

  it('a 503 answer to the draft\'s send keeps the draft (it may have been sent): the retry checks Sent Items', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, randomBytes(5 * MB));
    const { mailwright, standIn } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/send', status: 503, code: 'ServiceUnavailable', headers: { 'retry-after': '1' } });
    await mailwright.enqueue({ to: 'c@example.com', subject: 'Unsure', text: 'x', attachments: [{ filename: 'big.bin', path }] });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    expect(standIn.graph.drafts.size).toBe(1);
    expect(standIn.graph.deletedDrafts).toHaveLength(0);
  });
});
