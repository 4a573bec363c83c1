import Table from 'cli-table3';
import type { EmailRecord, EmailStatus } from '../store/email-record.js';
import { failureLines } from './failure-lines.js';
import { partlyRefused } from './partly-refused.js';

/** Human-readable size: 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** An ISO instant as `YYYY-MM-DD HH:MM:SS` (UTC). */
const utc = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

/**
 * Statuses whose size is the size as sent (or exported). An interactive email's size is
 * measured before it is sent; any other email's may be the enqueue-time upper bound
 * (docs/queue.md): queued email, and queued email that failed or was blocked unsent.
 */
const SIZE_AS_SENT = new Set<EmailStatus>(['sent', 'exported']);
const exactSize = (r: EmailRecord): boolean => r.mode === 'interactive' || SIZE_AS_SENT.has(r.status);

/** Where a waiting email stands, or undefined once it is no longer waiting. */
function waiting(record: EmailRecord): string | undefined {
  if (record.status === 'deferred') {
    const times = record.deferrals === 1 ? 'once' : `${record.deferrals} times`;
    return `Deferred ${times} by the per-minute limit; next attempt ${utc(record.dueAt)}`;
  }
  if (record.status === 'queued') return `${record.failure === undefined ? 'Queued' : 'Will retry'}; due ${utc(record.dueAt)}`;
  if (record.status === 'sending') return 'Being sent';
  return undefined;
}

/** Each recipient the server refused, with its reply. */
const refusals = (record: EmailRecord): string[] => record.recipients.filter((r) => r.status === 'rejected').map((r) => `${r.address} refused: ${r.response ?? r.smtpCode ?? ''}`);

function outcome(record: EmailRecord): string {
  const pending = waiting(record);
  const duplicate = record.possibleDuplicate === true ? ['Possible duplicate: an earlier attempt may have been delivered'] : [];
  if (record.failure !== undefined) {
    const lines = [...failureLines(record.failure), ...refusals(record), ...duplicate];
    return (pending === undefined ? lines : [...lines, pending]).join('\n');
  }
  if (pending !== undefined) return [...duplicate, pending].join('\n');
  if (record.blockedReason !== undefined) return `Blocked: ${record.blockedReason}`;
  if (record.exportPath !== undefined) return `Saved to ${record.exportPath}`;
  const partly = partlyRefused(record);
  const notes = [...(partly === undefined ? [] : [`Partly delivered: ${partly.refused} of ${partly.of} recipients refused`]), ...refusals(record), ...duplicate];
  if (record.forced) notes.unshift('sent over the throttle limit after the maximum deferrals');
  return notes.join('\n') || (record.response ?? '');
}

/** Narrowest table drawn; a narrower terminal wraps it. */
const MIN_WIDTH = 60;
/** The nine-column table needs this width for a readable Detail column; narrower terminals get three columns. */
const WIDE_MIN_WIDTH = 156;
/** Widths of the wide table's columns before Detail (each with its two spaces of padding). */
const WIDE_FIXED = [21, 10, 10, 18, 18, 14, 10, 5];
/** The compact table's first column: "YYYY-MM-DD HH:MM:SS" and its padding. */
const COMPACT_FIRST = 21;

/**
 * A cell's text with each word longer than the column broken into pieces of its width, so
 * that it wraps instead of being cut short with "…" (a long address or token). Each piece
 * fills a line of its own, so the spaces put between them fall at line breaks.
 */
function breakLongWords(text: string, columnWidth: number): string {
  const width = Math.max(1, columnWidth - 2); // the cell's padding
  return text.replace(new RegExp(`\\S{${width + 1},}`, 'gu'), (word) => (word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [word]).join(' '));
}

const size = (r: EmailRecord): string => (exactSize(r) ? formatBytes(r.sizeBytes) : `≤ ${formatBytes(r.sizeBytes)}`);
const recipients = (r: EmailRecord): string => r.recipients.map((x) => x.address).join(', ');

/** Nine columns, one fact each: for terminals at least {@link WIDE_MIN_WIDTH} wide. */
function wideRows(records: readonly EmailRecord[], width: number): { head: string[]; colWidths: number[]; rows: string[][] } {
  const detail = width - WIDE_FIXED.reduce((a, b) => a + b, 0) - (WIDE_FIXED.length + 2); // the borders
  return {
    head: ['Created (UTC)', 'Status', 'Provider', 'From', 'To', 'Subject', 'Size', 'Try', 'Detail'],
    colWidths: [...WIDE_FIXED, detail],
    rows: records.map((r) => [utc(r.createdAt), r.status, r.providerId ?? '-', r.from, recipients(r), r.subject, size(r), String(r.attempts), outcome(r)]),
  };
}

/** Three columns (the email; From, To and subject; the detail): for narrower terminals, down to 60 columns. */
function compactRows(records: readonly EmailRecord[], width: number): { head: string[]; colWidths: number[]; rows: string[][] } {
  const rest = width - COMPACT_FIRST - 4; // the borders
  const addresses = Math.floor(rest * 0.4);
  return {
    head: ['Email (UTC)', 'From, To, Subject', 'Detail'],
    colWidths: [COMPACT_FIRST, addresses, rest - addresses],
    rows: records.map((r) => [
      `${utc(r.createdAt)}\n${r.status} · ${r.providerId ?? '-'}\ntry ${r.attempts} · ${size(r)}`,
      `From: ${r.from}\nTo: ${recipients(r)}\n${r.subject}`,
      outcome(r),
    ]),
  };
}

/**
 * Renders history records as a text table no wider than `width` (the terminal's columns,
 * at least 60): status, provider, sender, recipients, subject, size (an upper bound, marked
 * `≤`, until the email is sent), attempts, and the detail: for failures the server's reply
 * (or the failure's message) with the classified explanation and fix, for waiting email
 * when it is next due; each recipient the server refused, with its reply (and how many, when
 * the email went to the others); and a possible duplicate. From 156 columns each fact has a
 * column; narrower, the email's facts share three.
 */
export function formatHistoryTable(records: readonly EmailRecord[], options: { width?: number } = {}): string {
  const width = Math.max(options.width ?? 140, MIN_WIDTH);
  const { head, colWidths, rows } = (width >= WIDE_MIN_WIDTH ? wideRows : compactRows)(records, width);
  const table = new Table({ head, colWidths, wordWrap: true, wrapOnWordBoundary: true, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((cell, i) => breakLongWords(cell, colWidths[i]!)));
  return table.toString();
}
