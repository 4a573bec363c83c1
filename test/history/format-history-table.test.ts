import { ErrorCodes } from '../../src/errors/error-codes.js';
import { formatHistoryTable } from '../../src/history/format-history-table.js';
import type { EmailRecord } from '../../src/store/email-record.js';
import { newRecord, sendAsDenied } from '../store/support/email-fixtures.js';

const record = (overrides: Partial<EmailRecord>): EmailRecord => ({ ...newRecord(), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...overrides });

/** A table's text column by column, below its head: each column's wrapped lines joined by spaces. */
const columnTexts = (table: string): string[] => {
  const columns: string[][] = [];
  for (const line of table.split('\n').slice(3, -1)) {
    line
      .split('│')
      .slice(1, -1)
      .forEach((cell, i) => (columns[i] ??= []).push(cell.trim()));
  }
  return columns.map((lines) => lines.filter(Boolean).join(' '));
};

/** One record's table text, column after column. */
const row = (r: EmailRecord): string => ` ${columnTexts(formatHistoryTable([r], { width: 400 })).join(' ')} `;

describe('formatHistoryTable', () => {
  it('says when a waiting email is next due, and marks its size as the enqueue-time bound', () => {
    expect(row(record({ status: 'queued', dueAt: '2026-01-01T00:05:00.000Z', sizeBytes: 2970 }))).toContain('≤ 2.9 KB');
    expect(row(record({ status: 'queued', dueAt: '2026-01-01T00:05:00.000Z' }))).toContain('Queued; due 2026-01-01 00:05:00');
    expect(row(record({ status: 'deferred', deferrals: 1, dueAt: '2026-01-01T00:01:00.000Z' }))).toContain(
      'Deferred once by the per-minute limit; next attempt 2026-01-01 00:01:00',
    );
    expect(row(record({ status: 'deferred', deferrals: 3, dueAt: '2026-01-01T00:03:00.000Z' }))).toContain('Deferred 3 times by the per-minute limit');
    expect(row(record({ status: 'sending' }))).toContain('Being sent');
  });

  it('shows a retrying email’s last failure with when it is retried', () => {
    const transient = { ...sendAsDenied, code: ErrorCodes.TRANSIENT_FAILURE, permanent: false, smtpCode: 451, enhancedCode: '4.3.0' };
    const text = row(record({ status: 'queued', attempts: 1, failure: transient, dueAt: '2026-01-01T00:02:00.000Z' }));
    expect(text).toContain('MW_TRANSIENT_FAILURE (451 4.3.0) — transient');
    expect(text).toContain('Will retry; due 2026-01-01 00:02:00');
  });

  it('shows sent and failed email with their size as sent, the server reply or the classified failure', () => {
    const sent = row(record({ status: 'sent', sizeBytes: 324, response: '250 OK: queued as 7F3A' }));
    expect(sent).toContain(' 324 B ');
    expect(sent).not.toContain('≤');
    expect(sent).toContain('250 OK: queued as 7F3A');
    expect(row(record({ status: 'sent', forced: true, response: '250 OK' }))).toContain('sent over the throttle limit after the maximum deferrals');
    const failed = row(record({ status: 'failed', failure: sendAsDenied, sizeBytes: 2970 }));
    expect(failed).toContain('≤ 2.9 KB'); // never sent: the enqueue-time bound
    expect(row(record({ status: 'failed', mode: 'interactive', failure: sendAsDenied, sizeBytes: 304 }))).toContain(' 304 B '); // measured before sending
    expect(failed).toContain('MW_SEND_AS_DENIED (550 5.7.1) — permanent');
    expect(failed).toContain('Server: 550 5.7.1 Client does not have permissions to send as this sender The server refused');
    expect(failed).toContain('Fix: Grant Send As');
    expect(failed).not.toContain('due');
    const refused = { ...sendAsDenied, code: ErrorCodes.CONNECTION_FAILED, message: 'connect ECONNREFUSED 127.0.0.1:2525' };
    delete refused.serverResponse;
    expect(row(record({ status: 'failed', failure: refused }))).toContain('connect ECONNREFUSED 127.0.0.1:2525 The server refused');
  });

  it('shows why an administrator cancelled an email', () => {
    const cancelled = { code: ErrorCodes.CANCELLED, category: 'cancelled', explanation: 'An administrator cancelled this email.', fix: 'Retry it.', permanent: true, message: 'Statement run made twice' } as const;
    const text = row(record({ status: 'failed', failure: cancelled }));
    expect(text).toContain('MW_CANCELLED — permanent');
    expect(text).toContain('Statement run made twice An administrator cancelled this email. Fix: Retry it.');
  });

  it('fits the terminal, down to 60 columns, and wraps what is too long for a column instead of cutting it short', () => {
    const long = record({
      status: 'failed',
      from: 'Accounts Receivable Department <accounts.receivable.department@subsidiary.contoso-example.com>',
      subject: 'Your November statement for account 1234567, with every invoice attached',
      failure: sendAsDenied,
    });
    for (const width of [60, 72, 80, 100, 120, 155, 156, 200]) {
      const table = formatHistoryTable([long], { width });
      expect({ width, widest: Math.max(...table.split('\n').map((line) => [...line].length)) }).toEqual({ width, widest: width });
      const text = columnTexts(table).join(' ');
      expect(text).not.toContain('…');
      expect(text.replace(/\s/g, '')).toContain('<accounts.receivable.department@subsidiary.contoso-example.com>');
      expect(text).toContain('Fix: Grant Send As, or send from the mailbox address.');
    }
    expect(formatHistoryTable([long], { width: 40 }).split('\n')[0]).toHaveLength(60);
  });
});
