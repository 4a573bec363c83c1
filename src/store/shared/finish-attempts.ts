import type { Kysely } from 'kysely';
import type { AttemptCompletion, FinishedAttempts } from '../store.js';
import { appendedLog, attemptLogLine } from './attempt-log.js';
import { dropsPayload, dropPayloads } from './email-payloads.js';
import { patchToColumns, type PatchColumns } from './email-row.js';
import type { StoreDatabase } from './store-database.js';

/** One completion as what it writes: the email's columns and its attempt-log line. */
export interface PlannedCompletion {
  emailId: string;
  columns: PatchColumns;
  logLine: string;
  /** The email ends sent, exported or blocked, so its payload goes. */
  dropPayload: boolean;
  leaseOwner?: string;
}

/** Ends attempts in one transaction (a dialect's fast path for `finishAttempts`). */
export type FinishAttempts = (planned: readonly PlannedCompletion[]) => Promise<FinishedAttempts>;

/** Code-unit order of email ids: the order PostgreSQL's lease updates lock rows in (see leases.ts). */
export const byEmailId = (a: { emailId: string }, b: { emailId: string }): number => (a.emailId < b.emailId ? -1 : a.emailId > b.emailId ? 1 : 0);

/**
 * The writes of ending attempts, in email id order (as lease renewals lock rows,
 * so the two never deadlock on PostgreSQL). Times are checked here, before any
 * write.
 */
export function planCompletions(items: readonly AttemptCompletion[], nowMs: number): PlannedCompletion[] {
  return items
    .map(({ emailId, patch, attempt, leaseOwner }) => ({
      emailId,
      columns: patchToColumns(patch, nowMs),
      logLine: attemptLogLine(attempt),
      dropPayload: dropsPayload(patch),
      ...(leaseOwner !== undefined ? { leaseOwner } : {}),
    }))
    .sort(byEmailId);
}

/**
 * Ends attempts in one transaction: per email, the record patch and the
 * attempt-log entry in one statement, and the payloads the patches drop.
 * An attempt whose email another worker has taken over since (its
 * `leaseOwner` no longer holds the lease) is only logged. Returns the emails
 * that no longer exist (nothing written) and those taken over.
 */
export async function finishAttemptsIn(db: Kysely<StoreDatabase>, planned: readonly PlannedCompletion[]): Promise<FinishedAttempts> {
  const missing: string[] = [];
  const takenOver: string[] = [];
  await db.transaction().execute(async (trx) => {
    const dropped: string[] = [];
    for (const { emailId, columns, logLine, dropPayload, leaseOwner } of planned) {
      const result = await trx
        .updateTable('emails')
        .set({ ...columns, attempt_log: appendedLog(logLine) })
        .where('id', '=', emailId)
        .$if(leaseOwner !== undefined, (q) => q.where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', leaseOwner as string)])))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) {
        if (dropPayload) dropped.push(emailId);
        continue;
      }
      const logged = leaseOwner === undefined ? undefined : await trx.updateTable('emails').set({ attempt_log: appendedLog(logLine) }).where('id', '=', emailId).executeTakeFirst();
      if (logged !== undefined && Number(logged.numUpdatedRows) > 0) takenOver.push(emailId);
      else missing.push(emailId);
    }
    await dropPayloads(trx, dropped);
  });
  return { missing, takenOver };
}
