import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createMailwright, createSqliteStore, formatHistoryTable, InMemoryUserDirectory, ManualClock, type EmailHistoryEntry } from '../src/index.js';
import { mailApiProvider } from './mail-api-provider.js';
import { startDemoMailApi, type AcceptedMessage } from './support/demo-mail-api.js';

/** What the custom provider demo did. */
export interface CustomProviderDemoResult {
  /** The three emails' history entries, in the order they were queued. */
  history: EmailHistoryEntry[];
  /** What the API accepted. */
  accepted: AcceptedMessage[];
  /** The history table printed at the end. */
  table: string;
}

/**
 * Sends three queued emails with a provider of your own (examples/mail-api-provider.ts)
 * through a local stand-in of an HTTP mail API: one is accepted, one meets a 503 and is
 * retried after the API's Retry-After, one is refused for good (400). The demo moves its
 * clock forward instead of waiting for the retry.
 */
export async function runCustomProviderDemo(dataDir: string, log: (line: string) => void = () => undefined): Promise<CustomProviderDemoResult> {
  await mkdir(dataDir, { recursive: true });
  const filename = join(dataDir, 'custom-provider.db');
  await rm(filename, { force: true });
  const api = await startDemoMailApi('demo-key');
  log(`Local mail API stand-in on ${api.baseUrl}`);
  const clock = new ManualClock('2026-11-24T09:00:00.000Z');
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename, clock }),
    providers: [mailApiProvider({ baseUrl: api.baseUrl, apiKey: 'demo-key' })],
    users: new InMemoryUserDirectory(),
    clock,
  });
  try {
    await mailwright.parameters.update({ batchProviderId: 'mail-api' });
    const ids: string[] = [];
    for (const to of ['customer@example.com', 'busy@example.com', 'nobody@example.com']) {
      ids.push(await mailwright.enqueue({ from: 'Billing <billing@contoso.com>', to, subject: `Statement for ${to}`, text: 'Your statement is attached.' }));
    }
    const first = await mailwright.distributor.runOnce();
    log(`First run: sent ${first.sent}, retrying ${first.retried}, failed ${first.failed}`);
    clock.advance({ minutes: 5 }); // past the API's Retry-After (120 s) and the back-off
    const second = await mailwright.distributor.runOnce();
    log(`Five minutes later: sent ${second.sent}, retrying ${second.retried}, failed ${second.failed}`);
    const history = await Promise.all(ids.map(async (id) => (await mailwright.history.get(id))!));
    return { history, accepted: api.accepted, table: formatHistoryTable(history) };
  } finally {
    await mailwright.close();
    await api.close();
  }
}
