import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createMailwright,
  createSqliteStore,
  emlProvider,
  formatHistoryTable,
  InMemoryUserDirectory,
  isMailwrightError,
  smtpProvider,
  type DistributionSummary,
  type EmailRecord,
} from '../src/index.js';
import { startDemoSmtpSink } from './support/demo-smtp-sink.js';

/** What the quickstart did, for printing and for its test. */
export interface QuickstartResult {
  databaseFile: string;
  emlFile: string | undefined;
  /** What the distributor's run did with the queued statements. */
  distributed: DistributionSummary;
  history: EmailRecord[];
  table: string;
}

/** The batch job's emails: one statement per customer, queued for the distributor. */
const STATEMENT_CUSTOMERS = ['north@example.com', 'south@example.com', 'west@example.com'];
const PER_MINUTE_LIMIT = 4;

/**
 * The quickstart: a SQLite history under `dataDir`, a local SMTP sink, a few
 * emails (one with an attachment, one the sink refuses with 550 5.7.1), one
 * .eml written, a batch of statements queued and sent by the throttled
 * distributor, and the history with the refused email's explanation and fix.
 */
export async function runQuickstart(dataDir: string, log: (line: string) => void = () => undefined): Promise<QuickstartResult> {
  await mkdir(dataDir, { recursive: true });
  const sink = await startDemoSmtpSink([
    { from: 'Bob.Stone@contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' },
  ]);
  log(`Local SMTP sink listening on 127.0.0.1:${sink.port}`);

  const databaseFile = join(dataDir, 'mailwright.db');
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: databaseFile }),
    providers: [
      smtpProvider({
        id: 'smtp',
        displayName: 'Use the system email client',
        settings: { host: '127.0.0.1', port: sink.port, requireTls: false, requireAuth: false, mailbox: 'noreply@contoso.com' },
      }),
      emlProvider({ directory: join(dataDir, 'eml') }),
    ],
    users: new InMemoryUserDirectory([
      { id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez', options: { providerId: 'smtp' } },
      { id: 'bob', email: 'Bob.Stone@contoso.com', displayName: 'Bob Stone', options: { providerId: 'smtp' } },
      { id: 'eve', email: 'eve@contoso.com', displayName: 'Eve Adams' },
    ]),
  });

  try {
    // At most 4 emails a minute through this provider, counting every send of the last 60 s:
    // after the two sends below, the third queued statement has to wait.
    await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: PER_MINUTE_LIMIT }, attachmentSizeLimitBytes: 5 * 1024 * 1024 });

    const welcome = await mailwright.compose(
      { to: 'Customer <customer@example.com>', subject: 'Welcome to Contoso', text: 'Hello!\n\nThanks for your order.' },
      'ana',
    );
    await mailwright.send(welcome);
    log(`Sent "${welcome.subject}" from ${welcome.from.name} <${welcome.from.address}>`);

    const pdfPath = join(dataDir, 'invoice-1042.pdf');
    await writeFile(pdfPath, Buffer.from('%PDF-1.4\n% demo invoice 1042\n%%EOF\n', 'latin1'));
    const invoice = await mailwright.compose(
      {
        to: 'customer@example.com',
        cc: 'accounts@contoso.com',
        subject: 'Invoice 1042',
        text: 'Your invoice is attached.',
        html: '<p>Your invoice is <b>attached</b>.</p>',
        attachments: [{ filename: 'invoice-1042.pdf', path: pdfPath, contentType: 'application/pdf' }],
      },
      'ana',
    );
    await mailwright.send(invoice);
    log('Sent "Invoice 1042" with a PDF attachment');

    try {
      await mailwright.send(await mailwright.compose({ to: 'partner@example.com', subject: 'Case 77 forwarded', text: 'See below.' }, 'bob'));
    } catch (error) {
      if (!isMailwrightError(error)) throw error;
      log(`Refused as expected: ${error.code} — ${error.message}`);
    }

    const exported = await mailwright.send(
      await mailwright.compose({ to: 'supplier@example.com', subject: 'Draft: price request', text: 'Could you quote 40 units?' }, 'eve'),
      { provider: 'eml', rememberChoice: true },
    );
    const emlFile = exported.receipt.artifact?.path;
    log(`Wrote ${emlFile ?? 'an .eml'}: open it in Outlook or Thunderbird to send it`);

    // The batch job: statements go through the persistent queue, From the batch mailbox. A key
    // makes a job that runs twice queue each statement once (this run's keys are its own).
    const run = Date.now().toString(36);
    const statement = (to: string) => ({ to, subject: 'Your November statement', text: 'Your statement for November is ready.' });
    const queue = (to: string) => mailwright.enqueue(statement(to), { idempotencyKey: `statement-${run}-${to}` });
    const ids = [];
    for (const to of STATEMENT_CUSTOMERS) ids.push(await queue(to));
    const again = await queue(STATEMENT_CUSTOMERS[0] as string);
    log(`Queued ${ids.length} statements; queuing the first again with its key ${again === ids[0] ? 'returned its id and added nothing' : 'queued a duplicate'}`);
    const distributed = await mailwright.distributor.runOnce();
    log(
      `Distributor: ${distributed.sent} sent, ${distributed.deferred} deferred by the limit of ${PER_MINUTE_LIMIT} emails a minute; ` +
        'a deferred email is due again as soon as the window frees a slot, for the next run (distributor.start() runs every minute)',
    );

    const { items } = await mailwright.history.list({ limit: 20 });
    const history = [...items].reverse();
    const table = formatHistoryTable(history, { width: process.stdout.columns ?? 140 });
    return { databaseFile, emlFile, distributed, history, table };
  } finally {
    await mailwright.close();
    await sink.close();
  }
}
