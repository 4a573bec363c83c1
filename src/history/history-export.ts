import type { EmailRecord } from '../store/email-record.js';

/** Formats of `history.export()`. */
export type HistoryExportFormat = 'csv' | 'json';

/** The CSV columns of an export, in order, each with how a record fills it. */
const CSV_COLUMNS: readonly [string, (record: EmailRecord) => string | number | boolean | undefined][] = [
  ['id', (r) => r.id],
  ['createdAt', (r) => r.createdAt],
  ['status', (r) => r.status],
  ['mode', (r) => r.mode],
  ['providerId', (r) => r.providerId ?? undefined],
  ['from', (r) => r.from],
  ['sender', (r) => r.sender],
  ['userId', (r) => r.userId],
  ['to', (r) => recipientsOf(r, 'to')],
  ['cc', (r) => recipientsOf(r, 'cc')],
  ['bcc', (r) => recipientsOf(r, 'bcc')],
  ['subject', (r) => r.subject],
  ['sizeBytes', (r) => r.sizeBytes],
  ['attempts', (r) => r.attempts],
  ['deferrals', (r) => r.deferrals],
  ['forced', (r) => r.forced],
  ['sentAt', (r) => r.sentAt],
  ['failureCode', (r) => r.failure?.code],
  ['failureCategory', (r) => r.failure?.category],
  ['permanent', (r) => r.failure?.permanent],
  ['smtpCode', (r) => r.failure?.smtpCode ?? r.failure?.httpStatus],
  ['enhancedCode', (r) => r.failure?.enhancedCode],
  ['serverResponse', (r) => r.failure?.serverResponse],
  ['explanation', (r) => r.failure?.explanation],
  ['fix', (r) => r.failure?.fix],
  ['blockedReason', (r) => r.blockedReason],
  ['messageId', (r) => r.messageId],
  ['meta', (r) => (Object.keys(r.meta).length === 0 ? undefined : JSON.stringify(r.meta))],
];

const recipientsOf = (record: EmailRecord, kind: 'to' | 'cc' | 'bcc'): string =>
  record.recipients
    .filter((r) => r.kind === kind)
    .map((r) => r.address)
    .join('; ');

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. Text a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with `'`:
 * a subject is written by whoever sent the email.
 */
function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV header line (CRLF-terminated). */
export const csvHeader = (): string => `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;

/** One record as a CSV line (CRLF-terminated). */
export const csvLine = (record: EmailRecord): string => `${CSV_COLUMNS.map(([, cell]) => csvCell(cell(record))).join(',')}\r\n`;

/**
 * The records of `pages` as CSV (a header line, then one line per record) or as one JSON
 * array, in chunks: a long history is written as it is read.
 */
export async function* exportChunks(pages: AsyncIterable<EmailRecord[]>, format: HistoryExportFormat): AsyncGenerator<string> {
  let first = true;
  yield format === 'csv' ? csvHeader() : '[';
  for await (const records of pages) {
    if (records.length === 0) continue;
    if (format === 'csv') yield records.map(csvLine).join('');
    else {
      yield `${first ? '\n' : ',\n'}${records.map((r) => JSON.stringify(r)).join(',\n')}`;
      first = false;
    }
  }
  if (format === 'json') yield first ? ']\n' : '\n]\n';
}
