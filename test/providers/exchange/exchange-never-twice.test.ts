import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { BATCH, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

const MiB = 1024 * 1024;
const posts = (f: ExchangeFixture, suffix: string): number => f.standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).length;

// Exchange keeps an accepted message in Drafts until transport moves it to Sent Items (5 s of the
// test clock in the stand-in): a retry must find it there too, and never send it twice.
describe('Exchange provider: an email that may have been accepted is never sent twice', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('a retry while the accepted copy is still in Drafts waits for it (no second send), then finds it in Sent Items', async () => {
    fixture = await exchangeFixture({ standIn: { transitDelayMs: 120_000 } });
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', afterAccepting: true, status: 504, code: 'GatewayTimeout' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'once', text: 'x' });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    clock.advance({ seconds: 31 }); // the first retry is due (30 s back-off at most); the copy is still in Drafts
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    const waiting = await mailwright.history.get(id);
    expect(waiting?.failure?.code).toBe(ErrorCodes.SEND_IN_TRANSIT);
    expect(waiting?.failure?.mayHaveBeenSent).toBe(true);
    expect(waiting?.failure?.retryAfterSeconds).toBe(600 - 31);
    clock.advance({ minutes: 30 });
    await mailwright.distributor.runOnce();
    expect((await mailwright.history.get(id))?.status).toBe('sent');
    expect(standIn.graph.sent).toHaveLength(1);
    expect(posts(fixture, '/sendMail')).toBe(1);
  });

  it('a draft whose send got no answer and never left: after the grace period it is deleted and the email sent once', async () => {
    fixture = await exchangeFixture({ provider: { inTransitGraceSeconds: 60 } });
    const { mailwright, standIn, clock } = fixture;
    await mailwright.parameters.update({ attachmentSizeLimitBytes: 40 * MiB });
    // The send of the draft is refused with a 502, which the client cannot tell from a lost answer.
    standIn.failures.push({ method: 'POST', pathEndsWith: '/send', status: 502, code: 'BadGateway' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'big', text: 'x', attachments: [{ filename: 'big.bin', content: randomBytes(5 * MiB) }] });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    expect(standIn.graph.drafts.size).toBe(1);
    clock.advance({ minutes: 30 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);
    expect(standIn.graph.sent).toHaveLength(1);
    expect(standIn.graph.drafts.size).toBe(0);
    expect(standIn.graph.deletedDrafts).toHaveLength(1);
    expect((await mailwright.history.get(id))?.status).toBe('sent');
  });

  it('a 429 and its retry need no read permission: the refused attempt is not looked for, the email is sent', async () => {
    fixture = await exchangeFixture({ standIn: { appRoles: ['Mail.Send'] } });
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status: 429, code: 'ApplicationThrottled', headers: { 'retry-after': '30' } });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'throttled', text: 'x' });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    clock.advance({ minutes: 5 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);
    expect((await mailwright.history.get(id))?.status).toBe('sent');
    expect(standIn.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
  });

  it('an uncertain send, and no permission to read the mailbox: MW_SEND_OUTCOME_UNKNOWN naming Mail.ReadBasic.All and what for', async () => {
    fixture = await exchangeFixture({ standIn: { appRoles: ['Mail.Send'] } });
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', afterAccepting: true, status: 504, code: 'GatewayTimeout' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'unsure', text: 'x' });
    await mailwright.distributor.runOnce();
    clock.advance({ minutes: 30 });
    await mailwright.distributor.runOnce();
    const record = await mailwright.history.get(id);
    expect(record?.status).toBe('failed');
    expect(record?.failure?.code).toBe(ErrorCodes.SEND_OUTCOME_UNKNOWN);
    expect(record?.failure?.permanent).toBe(true);
    expect(record?.failure?.explanation).toMatch(/lacks Mail\.ReadBasic\.All.*check whether an earlier attempt went out/);
    expect(record?.failure?.fix).toMatch(/Mail\.ReadBasic\.All/);
    expect(record?.failure?.fix).toMatch(/message trace/);
    expect(record?.failure?.fix).not.toMatch(/grant Mail\.Send\b/);
    expect(standIn.graph.sent).toHaveLength(1);
  });

  it('a Message-ID holding %27 cannot change the search: the retry does not take another email for it (issue 20)', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn, clock } = fixture;
    // Another email in the mailbox, which an injected `or internetMessageId ne '…'` would match.
    await mailwright.enqueue({ to: 'c@example.com', subject: 'other', text: 'x' });
    await mailwright.distributor.runOnce();
    const messageId = "<a%27%20or%20internetMessageId%20ne%20%27b@contoso.com>";
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status: 504, code: 'GatewayTimeout' }); // refused, but the client cannot tell
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'quoted', text: 'x', messageId });
    await mailwright.distributor.runOnce();
    clock.advance({ minutes: 30 });
    await mailwright.distributor.runOnce();
    expect((await mailwright.history.get(id))?.status).toBe('sent');
    expect(standIn.graph.sent.map((s) => s.internetMessageId)).toContain(messageId);
    const search = standIn.requests.find((r) => r.method === 'GET' && r.path === `/v1.0/users/${BATCH}/messages`);
    expect(search?.query.get('$filter')).toBe(`internetMessageId eq '${messageId}'`);
  });
});
