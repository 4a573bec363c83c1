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
  type EmailRecord,
} from '../src/index.js';
import { startDemoSmtpSink } from './support/demo-smtp-sink.js';

/** What the quickstart did, for printing and for its test. */
export interface QuickstartResult {
  databaseFile: string;
  emlFile: string | undefined;
  history: EmailRecord[];
  table: string;
}

/**
 * The quickstart: a SQLite history under `dataDir`, a local SMTP sink, a few
 * emails (one with an attachment, one the sink refuses with 550 5.7.1), one
 * .eml written, and the history with the refused email's explanation and fix.
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
    await mailwright.parameters.update({ batchProviderId: 'smtp', attachmentSizeLimitBytes: 5 * 1024 * 1024 });

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

    const { items } = await mailwright.history.list({ limit: 20 });
    const history = [...items].reverse();
    const table = formatHistoryTable(history, { width: process.stdout.columns ?? 140 });
    return { databaseFile, emlFile, history, table };
  } finally {
    await mailwright.close();
    await sink.close();
  }
}
