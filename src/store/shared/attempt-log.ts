import { sql } from 'kysely';
import type { AttemptRecord } from '../email-record.js';
import { toEpochMs, toIsoString } from './epoch-time.js';

/** One entry of the `attempt_log` column: an attempt without its email id. */
type LoggedAttempt = Omit<AttemptRecord, 'emailId'>;

/**
 * The line appended to an email's `attempt_log` for one attempt: JSON Lines
 * (JSON.stringify never writes a raw newline), so appending is a plain string
 * concatenation in every dialect and the log goes with its email when the
 * email is purged. Times are checked and normalized to UTC ISO strings.
 */
export function attemptLogLine(attempt: AttemptRecord): string {
  const { emailId: _emailId, ...logged } = attempt;
  const entry: LoggedAttempt = {
    ...logged,
    startedAt: toIsoString(toEpochMs(attempt.startedAt, 'startedAt')),
    finishedAt: toIsoString(toEpochMs(attempt.finishedAt, 'finishedAt')),
  };
  return `${JSON.stringify(entry)}\n`;
}

/** `attempt_log` with one more line: a string concatenation, the same SQL in every dialect. */
export const appendedLog = (line: string) => sql<string>`coalesce(attempt_log, '') || ${line}`;

/** The attempts of an email, in the order they were appended. */
export function parseAttemptLog(emailId: string, log: string | null | undefined): AttemptRecord[] {
  if (log === null || log === undefined) return [];
  return log
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({ emailId, ...(JSON.parse(line) as LoggedAttempt) }));
}
