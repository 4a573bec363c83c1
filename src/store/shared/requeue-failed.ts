import type { Kysely } from 'kysely';
import type { AttemptRecord, EmailPatch } from '../email-record.js';
import { appendedLog, attemptLogLine } from './attempt-log.js';
import { patchToColumns } from './email-row.js';
import { byEmailId } from './finish-attempts.js';
import type { StoreDatabase } from './store-database.js';

/** What a failed email queued again starts with: due at once, with nothing of its previous round. */
const startOver = (dueAt: string): EmailPatch => ({
  status: 'queued',
  dueAt,
  attempts: 0,
  deferrals: 0,
  forced: false,
  failure: undefined,
  sentAt: undefined,
  leaseOwner: undefined,
  leaseExpiresAt: undefined,
});

/**
 * `Store.requeueFailed` over Kysely (both dialects): in one transaction, each email named
 * by an attempt that is still failed and still has its payload becomes queued again, and
 * gets the attempt in its log. Emails in id order, as lease updates lock rows (see
 * finish-attempts.ts). Returns the ids queued again.
 */
export async function requeueFailedIn(db: Kysely<StoreDatabase>, attempts: readonly AttemptRecord[], dueAt: string, nowMs: number): Promise<string[]> {
  const columns = patchToColumns(startOver(dueAt), nowMs);
  const ordered = [...attempts].sort(byEmailId);
  return db.transaction().execute(async (trx) => {
    const requeued: string[] = [];
    for (const attempt of ordered) {
      const result = await trx
        .updateTable('emails')
        .set({ ...columns, attempt_log: appendedLog(attemptLogLine(attempt)) })
        .where('id', '=', attempt.emailId)
        .where('status', '=', 'failed')
        .where(({ exists, selectFrom }) => exists(selectFrom('email_payloads').select('email_payloads.email_id').whereRef('email_payloads.email_id', '=', 'emails.id')))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) requeued.push(attempt.emailId);
    }
    return requeued;
  });
}
