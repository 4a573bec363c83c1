import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { exchangeProvider } from '../../../src/providers/exchange/exchange-provider.js';
import { BATCH, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

// The stand-in throttles a fifth concurrent request on one mailbox with 429 ApplicationThrottled,
// as Outlook does ("Application is over its MailboxConcurrency limit"). It also holds requests
// until the test lets them go, so sends overlap however fast or slow the machine is.
describe('Exchange provider: concurrent sends per mailbox', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Polls until `done()` holds (the requests travel over real HTTPS connections), for at most 10 s. */
  const until = async (done: () => boolean): Promise<void> => {
    for (let waited = 0; waited < 10_000 && !done(); waited += 5) await pause(5);
  };

  /** Queues `emails`, starts a distributor with concurrency 10 while Graph holds every request, and lets them go once `ready()`. */
  async function distribute(providerOptions: { mailboxConcurrency?: number }, emails: number, ready: (graph: ExchangeFixture['standIn']['graph']) => boolean) {
    fixture = await exchangeFixture({ provider: providerOptions });
    const { mailwright, standIn } = fixture;
    await mailwright.enqueueMany(Array.from({ length: emails }, (_, i) => ({ message: { to: `customer${i}@example.com`, subject: `Invoice ${i}`, text: 'x' } })));
    const release = standIn.graph.hold();
    const run = mailwright.createDistributor({ concurrency: 10 }).runOnce();
    await until(() => ready(standIn.graph));
    await pause(100); // room for any request beyond the limit to arrive
    release();
    const summary = await run;
    return { summary, peak: standIn.graph.peakConcurrency.get(BATCH) };
  }

  it('a distributor with concurrency 10 sends from the batch account 4 at a time: nothing throttled', async () => {
    const { summary, peak } = await distribute({}, 12, (graph) => graph.inProgress(BATCH) === 4);
    expect(summary).toMatchObject({ sent: 12, retried: 0, failed: 0 });
    expect(peak).toBe(4);
    expect(fixture?.standIn.graph.sent).toHaveLength(12);
  });

  it('mailboxConcurrency lowers it further', async () => {
    const { summary, peak } = await distribute({ mailboxConcurrency: 2 }, 6, (graph) => graph.inProgress(BATCH) === 2);
    expect(summary).toMatchObject({ sent: 6, retried: 0 });
    expect(peak).toBe(2);
  });

  it("above Outlook's limit the extra sends are throttled and retried (what the default prevents)", async () => {
    const { summary } = await distribute({ mailboxConcurrency: 8 }, 8, (graph) => graph.throttled === 4);
    expect(summary.sent).toBe(4);
    expect(summary.retried).toBe(4);
    const retrying = await fixture!.mailwright.history.list({ status: 'queued' });
    expect(retrying.items.map((email) => email.failure?.code)).toEqual(Array(4).fill(ErrorCodes.RATE_LIMITED));
  });

  it.each([[0], [2.5]])('rejects mailboxConcurrency %p with MW_INVALID_SETTINGS', (mailboxConcurrency) => {
    expect(() => exchangeProvider({ mailboxConcurrency })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_SETTINGS, details: { providerId: 'exchange', field: 'mailboxConcurrency' } }),
    );
  });
});
