import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { newRecord } from '../store/support/email-fixtures.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

/** A subject a spreadsheet would run as a formula, with a comma and quotes to quote. */
const FORMULA_SUBJECT = '=HYPERLINK("http://evil.example","Invoice, March")';

const collect = async (chunks: AsyncIterable<string>): Promise<string> => {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
};

/** A minimal RFC 4180 reader: rows of cells (CRLF between rows, quotes doubled inside quoted cells). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const cell = /"((?:[^"]|"")*)"|([^,\r\n]*)/y;
  let at = 0;
  let row: string[] = [];
  while (at < text.length) {
    cell.lastIndex = at;
    const match = cell.exec(text)!;
    row.push(match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!);
    at = cell.lastIndex;
    if (text[at] === ',') at += 1;
    else {
      rows.push(row);
      row = [];
      at += 2; // CRLF
    }
  }
  return rows;
}

describe('history for screens: retry availability, counts and export (real SMTP server, SQLite file)', () => {
  let server: SmtpTestServer;
  let dir: string;
  let mailwright: Mailwright;
  const clock = new ManualClock('2026-11-24T10:00:00.000Z');
  const ids: Record<'batchFailed' | 'interactiveFailed' | 'testFailed' | 'sent' | 'queued', string> = {} as never;

  beforeAll(async () => {
    server = await startSmtpTestServer({ starttls: false, rules: [{ rcpt: 'gone@example.com', code: 550, message: '5.1.1 User unknown' }] });
    dir = await mkdtemp(join(tmpdir(), 'mw-history-screens-'));
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, mailbox: 'noreply@contoso.com' } })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } }]),
      clock,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
    ids.batchFailed = await mailwright.enqueue(
      { from: 'billing@contoso.com', to: 'gone@example.com', subject: FORMULA_SUBJECT, text: 'x' },
      { meta: { recordId: 'CASE-7' } },
    );
    ids.sent = await mailwright.enqueue({ from: 'billing@contoso.com', to: 'ok@example.com', cc: 'cc@example.com', subject: 'Statement', text: 'x' });
    await mailwright.distributor.runOnce();
    ids.interactiveFailed = await mailwright
      .send(await mailwright.compose({ to: 'gone@example.com', subject: 'Quote', text: 'x' }, 'ana'))
      .then(() => '', (e: { details: { emailId: string } }) => e.details.emailId);
    ids.testFailed = (await mailwright.sendTestEmail({ provider: 'smtp', to: 'gone@example.com' })).emailId;
    clock.advance({ minutes: 1 });
    ids.queued = await mailwright.enqueue({ from: 'billing@contoso.com', to: 'later@example.com', subject: 'Later', text: 'x' }, { sendAfter: '2026-11-24T12:00:00Z' });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('each listed record says whether it can be retried, and if not why', async () => {
    const { items } = await mailwright.history.list();
    const retry = Object.fromEntries(items.map((r) => [r.id, r.retry]));
    expect(retry[ids.batchFailed]).toEqual({ retryable: true });
    expect(retry[ids.interactiveFailed]).toEqual({ retryable: false, reason: 'message-not-kept', explanation: expect.stringContaining('Sent interactively') });
    expect(retry[ids.testFailed]).toEqual({ retryable: false, reason: 'message-not-kept', explanation: expect.stringContaining('test email') });
    expect(retry[ids.sent]).toEqual({ retryable: false, reason: 'not-failed', explanation: expect.stringContaining('this one is sent') });
    expect(retry[ids.queued]).toMatchObject({ retryable: false, reason: 'not-failed' });
    // What the list says is what retry() does.
    const result = await mailwright.history.retry([ids.interactiveFailed, ids.testFailed, ids.sent]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['message-not-kept', 'message-not-kept', 'not-failed']);
  });

  it('history.get says the same for one email', async () => {
    expect((await mailwright.history.get(ids.batchFailed))?.retry).toEqual({ retryable: true });
    expect((await mailwright.history.get(ids.interactiveFailed))?.retry).toMatchObject({ retryable: false, reason: 'message-not-kept' });
  });

  it('counts by status and by failure code, with the list filters', async () => {
    const counts = await mailwright.history.counts();
    expect(counts).toMatchObject({ total: 5, byStatus: { failed: 3, sent: 1, queued: 1 }, byFailureCode: [{ code: 'MW_RECIPIENT_UNKNOWN', count: 3 }], forced: 0 });
    expect((await mailwright.history.counts({ userId: 'ana' })).total).toBe(1);
    expect((await mailwright.history.counts({ meta: { recordId: 'CASE-7' } })).byStatus.failed).toBe(1);
  });

  it('exports a filtered list as CSV: one line per email, every cell quoted as needed, formulas defused', async () => {
    const csv = await collect(await mailwright.history.export({ sender: 'billing@contoso.com', status: ['failed', 'sent'] }, { format: 'csv' }));
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(expect.arrayContaining(['id', 'status', 'to', 'cc', 'subject', 'failureCode', 'explanation', 'fix', 'meta']));
    const column = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[column('id')])).toEqual([ids.sent, ids.batchFailed]);
    const failed = rows[1]!;
    expect(failed[column('subject')]).toBe(`'${FORMULA_SUBJECT}`);
    expect(failed[column('failureCode')]).toBe('MW_RECIPIENT_UNKNOWN');
    expect(failed[column('smtpCode')]).toBe('550');
    expect(failed[column('fix')]).not.toBe('');
    expect(JSON.parse(failed[column('meta')]!)).toEqual({ recordId: 'CASE-7' });
    expect(rows[0]![column('cc')]).toBe('cc@example.com');
  });

  it('exports as JSON: one array of the records the list gives', async () => {
    const json = JSON.parse(await collect(await mailwright.history.export({}, { format: 'json' }))) as { id: string }[];
    expect(json.map((r) => r.id)).toEqual((await mailwright.history.list()).items.map((r) => r.id));
    expect(JSON.parse(await collect(await mailwright.history.export({ subject: 'no such subject' }, { format: 'json' })))).toEqual([]);
  });

  it('exports every email across the pages it reads (1,000 a page), newest first, once each', async () => {
    const many = Array.from({ length: 2_050 }, (_, i) => newRecord({ status: 'sent', subject: `Bulk ${i}`, createdAt: new Date(Date.parse('2026-11-20T00:00:00Z') + i).toISOString() }));
    await mailwright.store.insertEmails(many);
    const rows = parseCsv(await collect(await mailwright.history.export({ subject: 'bulk ' })));
    expect(rows).toHaveLength(1 + many.length);
    expect(rows.slice(1).map((r) => r[0])).toEqual(many.map((r) => r.id).reverse());
  });

  it('refuses a bad filter, a paging option or an unknown format before the first chunk', async () => {
    await expectMailwrightError(mailwright.history.export({ statuz: 'failed' } as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.export({ limit: 10 } as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.export({}, { format: 'xlsx' as never }), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.export(null as never), ErrorCodes.INVALID_QUERY);
    await expectMailwrightError(mailwright.history.counts('failed' as never), ErrorCodes.INVALID_QUERY);
  });
});
