import type { Kysely } from 'kysely';
import { isFinalStatus, type EmailPatch, type NewEmailRecord } from '../email-record.js';
import type { EmailPayloadsTable, StoreDatabase } from './store-database.js';

// A payload is kept only while its email may still be sent: it is written with the
// email and deleted by the transaction that makes the email final.

/** The payload row to insert with a new record: only an email that is not final keeps its message. */
export function payloadRowOf(record: NewEmailRecord): EmailPayloadsTable | undefined {
  return record.payload === undefined || isFinalStatus(record.status) ? undefined : { email_id: record.id, payload: record.payload };
}

/** Does the patch make the email final (so its payload must go)? */
export const becomesFinal = (patch: EmailPatch): boolean => patch.status !== undefined && isFinalStatus(patch.status);

/** Deletes the payloads of emails that became final, in the caller's transaction. */
export async function dropPayloads(db: Kysely<StoreDatabase>, emailIds: readonly string[]): Promise<void> {
  if (emailIds.length > 0) await db.deleteFrom('email_payloads').where('email_id', 'in', emailIds).execute();
}
