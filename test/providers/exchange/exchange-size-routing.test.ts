import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

const MiB = 1024 * 1024;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const graphRequests = (f: ExchangeFixture) => f.standIn.requests.filter((r) => r.host !== 'login.microsoftonline.com');

describe('Exchange provider: the route is chosen from the encoded size, and no request exceeds 4 MB', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  async function send(attachments: { filename: string; content: Buffer }[], headers: Record<string, string> = {}) {
    fixture ??= await exchangeFixture();
    await fixture.mailwright.parameters.update({ attachmentSizeLimitBytes: 40 * MiB, perMinuteLimits: { exchange: 0 } });
    const id = await fixture.mailwright.enqueue({ to: 'c@example.com', subject: 'sized', text: 'x', attachments, headers });
    await fixture.mailwright.distributor.runOnce();
    return (await fixture.mailwright.history.get(id))!;
  }

  it('an attachment of exactly 3 MiB (4,194,4xx bytes as JSON) goes through a draft and an upload session, not a 413', async () => {
    const content = randomBytes(3 * MiB);
    const record = await send([{ filename: 'three.bin', content }]);
    expect(record.status).toBe('sent');
    const [sent] = fixture!.standIn.graph.sent;
    expect(sent?.route).toBe('draft');
    expect(fixture!.standIn.graph.uploadSessions).toHaveLength(1);
    expect(sent?.attachments.map((a) => sha256(a.bytes))).toEqual([sha256(content)]);
    expect(fixture!.standIn.graph.largestBody).toBeLessThanOrEqual(4 * MiB);
  });

  it('any attachment between 2 and 4 MiB is sent whole, by the right route, every request within 4 MB', async () => {
    fixture = await exchangeFixture();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2 * MiB, max: 4 * MiB }), async (size) => {
        const before = fixture!.standIn.graph.sent.length;
        const content = randomBytes(size);
        const record = await send([{ filename: 'b.bin', content }]);
        const sent = fixture!.standIn.graph.sent[before];
        expect(record.status).toBe('sent');
        expect(sent?.attachments.map((a) => a.bytes.length)).toEqual([size]);
        // Base64 of the file alone is over 4 MiB past 3 MiB: the draft route; well under, one sendMail.
        if (size > 3 * MiB) expect(sent?.route).toBe('draft');
        if (size < 3 * MiB - 4096) expect(sent?.route).toBe('sendMail');
      }),
      { numRuns: 6, examples: [[3_145_500], [3_145_728], [3_000_000]] },
    );
    expect(fixture.standIn.graph.largestBody).toBeLessThanOrEqual(4 * MiB);
  });

  it('more than 5 custom headers: sent as MIME, which keeps them all', async () => {
    const headers = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`X-Custom-${i}`, `v${i}`]));
    const record = await send([], headers);
    expect(record.status).toBe('sent');
    const [sent] = fixture!.standIn.graph.sent;
    expect(sent?.route).toBe('mime');
    expect(Array.from({ length: 7 }, (_, i) => sent?.mime?.headers.get(`x-custom-${i}`))).toEqual(Array.from({ length: 7 }, (_, i) => `v${i}`));
  });

  it('more than 5 custom headers on an email too large for MIME: refused with MW_INVALID_HEADER before any request', async () => {
    const headers = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`X-Custom-${i}`, 'v']));
    const record = await send([{ filename: 'big.bin', content: randomBytes(5 * MiB) }], headers);
    expect(record.status).toBe('failed');
    expect(record.failure?.code).toBe(ErrorCodes.INVALID_HEADER);
    expect(record.failure?.message).toMatch(/at most 5 custom headers/);
    expect(graphRequests(fixture!)).toHaveLength(0);
  });

  it('a cloud without upload sessions (China): a large attachment is refused before anything is sent, a small one goes', async () => {
    fixture = await exchangeFixture({ standIn: { cloud: 'china' }, settings: { cloud: 'china' } });
    const refused = await send([{ filename: 'big.bin', content: randomBytes(5 * MiB) }]);
    expect(refused.failure?.code).toBe(ErrorCodes.ATTACHMENT_TOO_LARGE);
    expect(refused.failure?.message).toMatch(/21Vianet.*no upload sessions/);
    expect(fixture.standIn.requests.filter((r) => r.host === 'microsoftgraph.chinacloudapi.cn')).toHaveLength(0);
    const small = await send([{ filename: 'small.bin', content: randomBytes(2 * MiB) }, { filename: 'second.bin', content: randomBytes(2 * MiB) }]);
    expect(small.status).toBe('sent');
    expect(fixture.standIn.graph.sent.at(-1)?.route).toBe('draft');
  });
});
