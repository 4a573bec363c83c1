import type { Kysely } from 'kysely';
import type { AttemptCompletion } from '../store.js';
import { appendedLog, attemptLogLine } from './attempt-log.js';
import { becomesFinal, dropPayloads } from './email-payloads.js';
import { patchToColumns } from './email-row.js';
import type { StoreDatabase } from './store-database.js';

/** Code-unit order of email ids: the order PostgreSQL's lease updates lock rows in (see leases.ts). */
const byEmailId = (a: AttemptCompletion, b: AttemptCompletion): number => (a.emailId < b.emailId ? -1 : a.emailId > b.emailId ? 1 : 0);

/**
 * Ends attempts in one transaction: per email, the record patch and the
 * attempt-log entry in one statement, and the payloads of emails made final.
 * An attempt whose email another worker has taken over since (its
 * `leaseOwner` no longer holds the lease) is only logged. Returns the emails
 * that no longer exist (nothing written) and those taken over.
 */
export async function finishAttemptsIn(db: Kysely<StoreDatabase>, items: readonly AttemptCompletion[], nowMs: number): Promise<{ missing: string[]; takenOver: string[] }> {
  const missing: string[] = [];
  const takenOver: string[] = [];
  if (items.length === 0) return { missing, takenOver };
  await db.transaction().execute(async (trx) => {
    const final: string[] = [];
    // In id order, as lease renewals lock rows (no deadlock between the two on PostgreSQL).
    for (const { emailId, patch, attempt, leaseOwner } of [...items].sort(byEmailId)) {
      const logLine = appendedLog(attemptLogLine(attempt));
      const result = await trx
        .updateTable('emails')
        .set({ ...patchToColumns(patch, nowMs), attempt_log: logLine })
        .where('id', '=', emailId)
        .$if(leaseOwner !== undefined, (q) => q.where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', leaseOwner as string)])))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) {
        if (becomesFinal(patch)) final.push(emailId);
        continue;
      }
      const logged = leaseOwner === undefined ? undefined : await trx.updateTable('emails').set({ attempt_log: logLine }).where('id', '=', emailId).executeTakeFirst();
      if (logged !== undefined && Number(logged.numUpdatedRows) > 0) takenOver.push(emailId);
      else missing.push(emailId);
    }
    await dropPayloads(trx, final);
  });
  return { missing, takenOver };
}
