import type { Kysely } from 'kysely';
import { isFinalStatus, type EmailPatch, type EmailStatus, type NewEmailRecord } from '../email-record.js';
import type { EmailPayloadsTable, StoreDatabase } from './store-database.js';

// A payload is kept while its email may still be sent, and once it has failed, so that an
// administrator can send it again (`history.retry`): it is written with the email, deleted
// by the transaction that makes the email sent, exported or blocked, and deleted with a
// failed email by the retention purge (`purgeFinished`).

/** Does an email in this status keep its message? */
const keepsPayload = (status: EmailStatus): boolean => !isFinalStatus(status) || status === 'failed';

/** The payload row to insert with a new record, if its status keeps one. */
export function payloadRowOf(record: NewEmailRecord): EmailPayloadsTable | undefined {
  return record.payload === undefined || !keepsPayload(record.status) ? undefined : { email_id: record.id, payload: record.payload };
}

/** Does the patch end the email in a status without a payload (sent, exported, blocked)? */
export const dropsPayload = (patch: EmailPatch): boolean => patch.status !== undefined && !keepsPayload(patch.status);

/** Deletes the payloads of these emails, in the caller's transaction. */
export async function dropPayloads(db: Kysely<StoreDatabase>, emailIds: readonly string[]): Promise<void> {
  if (emailIds.length > 0) await db.deleteFrom('email_payloads').where('email_id', 'in', emailIds).execute();
}
