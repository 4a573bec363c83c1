import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { csvRecords } from './csv-records.js';

/** The output of Exchange PowerShell's `Get-Mailbox` or `Get-InboxRule`, exported to audit a real tenant's forwarding. */
export interface ExchangeExport {
  /**
   * The export as saved: `Export-Csv` (with or without its `#TYPE` line) or `ConvertTo-Json`,
   * UTF-8 or UTF-16 (`Out-File`'s default in Windows PowerShell) with a byte order mark.
   */
  content: string | Buffer;
  /** Where it came from, named in the audit (e.g. the file name). @default 'import 1', 'import 2', … */
  name?: string;
  /** For a Get-InboxRule export of one mailbox without a `Mailbox` column (`Get-InboxRule -Mailbox ana@contoso.com`): that mailbox. @default the MailboxOwnerId of each row */
  mailbox?: string;
}

/** Which cmdlet's output an export is, told by its columns. */
export type ExchangeCmdlet = 'Get-Mailbox' | 'Get-InboxRule';

/** One row of an export: its 1-based number and its values by column name. */
export interface ExportRow {
  row: number;
  values: Record<string, unknown>;
}

/** An export read: its cmdlet and rows. */
export interface ExportRows {
  name: string;
  cmdlet: ExchangeCmdlet;
  mailbox?: string;
  rows: ExportRow[];
}

const MAILBOX_COLUMNS = ['ForwardingSmtpAddress', 'ForwardingAddress', 'DeliverToMailboxAndForward'];
const RULE_COLUMNS = ['ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo'];

function invalid(name: string, why: string): MailwrightError {
  return new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The Exchange export "${name}" cannot be read: ${why}.`, {
    fix: 'Export with `Get-Mailbox -ResultSize Unlimited | Select-Object PrimarySmtpAddress,ForwardingSmtpAddress,ForwardingAddress,DeliverToMailboxAndForward | Export-Csv mailboxes.csv` or `Get-InboxRule -Mailbox <address> | ConvertTo-Json -Depth 4 > rules.json`.',
    details: { field: 'imports', name },
  });
}

/** The text of an export: UTF-16 (LE or BE) or UTF-8 by its byte order mark, UTF-8 without one. */
function decode(content: string | Buffer): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  if (content[0] === 0xff && content[1] === 0xfe) return content.subarray(2).toString('utf16le');
  if (content[0] === 0xfe && content[1] === 0xff) return Buffer.from(content.subarray(2)).swap16().toString('utf16le');
  return content.toString('utf8').replace(/^\uFEFF/, '');
}

function jsonRows(text: string, name: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(name, `it starts like JSON but is not (${(error as Error).message})`);
  }
  const rows = Array.isArray(parsed) ? parsed : [parsed];
  if (!rows.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row))) throw invalid(name, 'the JSON is not an object or a list of objects');
  return rows as Record<string, unknown>[];
}

function csvRows(text: string, name: string): Record<string, unknown>[] {
  const records = csvRecords(text);
  if (records[0]?.length === 1 && records[0][0]!.startsWith('#TYPE')) records.shift();
  const [header, ...rows] = records;
  if (header === undefined) throw invalid(name, 'it is empty');
  return rows.map((row) => Object.fromEntries(header.map((column, i) => [column.trim(), row[i] ?? ''])));
}

/**
 * Reads an export of Get-Mailbox or Get-InboxRule (told apart by their forwarding
 * columns); MW_INVALID_SETTINGS naming the export when it is neither, or not CSV or JSON.
 */
export function readExchangeExport(input: ExchangeExport, index: number): ExportRows {
  if (typeof input !== 'object' || input === null || !(typeof input.content === 'string' || Buffer.isBuffer(input.content))) {
    throw invalid(`import ${index + 1}`, 'give { content: the exported text or bytes, name?, mailbox? }');
  }
  const name = typeof input.name === 'string' && input.name.trim() !== '' ? input.name : `import ${index + 1}`;
  const text = decode(input.content).trim();
  const values = /^[[{]/.test(text) ? jsonRows(text, name) : csvRows(text, name);
  const columns = new Set(values.flatMap((row) => Object.keys(row)));
  const cmdlet: ExchangeCmdlet | undefined = RULE_COLUMNS.some((c) => columns.has(c)) ? 'Get-InboxRule' : MAILBOX_COLUMNS.some((c) => columns.has(c)) ? 'Get-Mailbox' : undefined;
  if (cmdlet === undefined) throw invalid(name, `it has none of the columns of Get-Mailbox (${MAILBOX_COLUMNS.join(', ')}) or Get-InboxRule (${RULE_COLUMNS.join(', ')})`);
  return { name, cmdlet, ...(typeof input.mailbox === 'string' ? { mailbox: input.mailbox } : {}), rows: values.map((row, i) => ({ row: i + 1, values: row })) };
}
