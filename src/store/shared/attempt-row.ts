import type { Insertable, Selectable } from 'kysely';
import type { FailureDetail } from '../../errors/failure-detail.js';
import type { AttemptRecord } from '../email-record.js';
import { toEpochMs, toIsoString } from './epoch-time.js';
import type { AttemptsTable } from './store-database.js';

/** The row to insert for an attempt. */
export function attemptToRow(attempt: AttemptRecord): Insertable<AttemptsTable> {
  return {
    email_id: attempt.emailId,
    attempt: attempt.attempt,
    provider_id: attempt.providerId,
    started_at_ms: toEpochMs(attempt.startedAt, 'startedAt'),
    finished_at_ms: toEpochMs(attempt.finishedAt, 'finishedAt'),
    outcome: attempt.outcome,
    failure_json: attempt.failure === undefined ? null : JSON.stringify(attempt.failure),
    transcript: attempt.transcript ?? null,
  };
}

/** A selected attempt row back to the record. */
export function rowToAttempt(row: Selectable<AttemptsTable>): AttemptRecord {
  return {
    emailId: row.email_id,
    attempt: Number(row.attempt),
    providerId: row.provider_id,
    startedAt: toIsoString(row.started_at_ms),
    finishedAt: toIsoString(row.finished_at_ms),
    outcome: row.outcome as AttemptRecord['outcome'],
    ...(row.failure_json === null ? {} : { failure: JSON.parse(row.failure_json) as FailureDetail }),
    ...(row.transcript === null ? {} : { transcript: row.transcript }),
  };
}
