import Table from 'cli-table3';
import type { EmailRecord, EmailStatus } from '../store/email-record.js';
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
    const f = record.failure;
    const reply = [f.smtpCode ?? f.httpStatus, f.enhancedCode].filter((x) => x !== undefined).join(' ');
    // What the server said, else the failure's own message (a connection error, a cancellation's reason).
    const said = f.serverResponse !== undefined ? `Server: ${f.serverResponse}` : f.message;
    const lines = [`${f.code}${reply ? ` (${reply})` : ''} — ${f.permanent ? 'permanent' : 'transient'}`, said, f.explanation, `Fix: ${f.fix}`, ...refusals(record), ...duplicate];
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

/**
 * Renders history records as a text table for terminals: status, provider,
 * sender, recipients, subject, size (an upper bound, marked `≤`, until the
 * email is sent), attempts, and the detail: for failures the server's reply (or
 * the failure's message) with the classified explanation and fix, for waiting
 * email when it is next due; each recipient the server refused, with its reply
 * (and how many, when the email went to the others); and a possible duplicate.
 */
export function formatHistoryTable(records: readonly EmailRecord[], options: { width?: number } = {}): string {
  const width = Math.max(options.width ?? 140, 100);
  const detailWidth = width - 95;
  const table = new Table({
    head: ['Created (UTC)', 'Status', 'Provider', 'From', 'To', 'Subject', 'Size', 'Try', 'Detail'],
    colWidths: [21, 10, 10, 18, 18, 14, 10, 5, detailWidth],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  for (const r of records) {
    table.push([
      utc(r.createdAt),
      r.status,
      r.providerId ?? '-',
      r.from,
      r.recipients.map((x) => x.address).join(', '),
      r.subject,
      exactSize(r) ? formatBytes(r.sizeBytes) : `≤ ${formatBytes(r.sizeBytes)}`,
      String(r.attempts),
      outcome(r),
    ]);
  }
  return table.toString();
}
