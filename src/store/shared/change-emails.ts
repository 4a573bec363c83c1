import type { Kysely } from 'kysely';
import type { AttemptRecord } from '../email-record.js';
import type { EmailChange } from '../store.js';
import { appendedLog, attemptLogLine } from './attempt-log.js';
import { dropPayloads, dropsPayload } from './email-payloads.js';
import { patchToColumns } from './email-row.js';
import { byEmailId } from './finish-attempts.js';
import type { StoreDatabase } from './store-database.js';

/**
 * `Store.changeEmails` over Kysely (both dialects): in one transaction, each email named
 * by an attempt that is in one of the `from` statuses (and, `withMessage`, still has its
 * payload) gets the patch and the attempt in its log. Emails in id order, as lease updates
 * lock rows (see finish-attempts.ts). Returns the ids changed.
 */
export async function changeEmailsIn(db: Kysely<StoreDatabase>, attempts: readonly AttemptRecord[], change: EmailChange, nowMs: number): Promise<string[]> {
  const columns = patchToColumns(change.patch, nowMs);
  const ordered = [...attempts].sort(byEmailId);
  return db.transaction().execute(async (trx) => {
    const changed: string[] = [];
    for (const attempt of ordered) {
      const result = await trx
        .updateTable('emails')
        .set({ ...columns, attempt_log: appendedLog(attemptLogLine(attempt)) })
        .where('id', '=', attempt.emailId)
        .where('status', 'in', [...change.from])
        .$if(change.withMessage === true, (q) =>
          q.where(({ exists, selectFrom }) => exists(selectFrom('email_payloads').select('email_payloads.email_id').whereRef('email_payloads.email_id', '=', 'emails.id'))),
        )
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) changed.push(attempt.emailId);
    }
    if (dropsPayload(change.patch)) await dropPayloads(trx, changed);
    return changed;
  });
}
