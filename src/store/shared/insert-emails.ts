import type { Kysely } from 'kysely';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { EmailRecord, NewEmailRecord } from '../email-record.js';
import { payloadRowOf } from './email-payloads.js';
import { emailToRow, rowToEmail } from './email-row.js';
import { isIdempotencyConflict } from './store-error.js';
import type { EmailPayloadsTable, NewEmailRow, StoreDatabase } from './store-database.js';

/** Inserts email rows and their payloads in one transaction (a dialect's fast path for `insertEmails`). */
export type BulkInsert = (rows: readonly NewEmailRow[], payloads: readonly EmailPayloadsTable[]) => Promise<void>;

/** How a dialect inserts many emails. */
export interface InsertEmailsConfig {
  /** The dialect's bulk insert, in one transaction (prepared statements on SQLite, COPY on PostgreSQL). */
  bulkInsert: BulkInsert;
}

/** Inserts one record with its payload (in one transaction when it has one); `nowMs` fills absent times. */
export async function insertEmail(db: Kysely<StoreDatabase>, record: NewEmailRecord, nowMs: number): Promise<EmailRecord> {
  const row = emailToRow(record, nowMs);
  const payload = payloadRowOf(record);
  try {
    if (payload === undefined) await db.insertInto('emails').values(row).execute();
    else {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('emails').values(row).execute();
        await trx.insertInto('email_payloads').values(payload).execute();
      });
    }
  } catch (error) {
    if (isIdempotencyConflict(error)) throw await idempotencyConflict(db, record.idempotencyKey ?? '', error);
    throw error;
  }
  return rowToEmail(row);
}

async function idempotencyConflict(db: Kysely<StoreDatabase>, key: string, cause: unknown): Promise<MailwrightError> {
  const existing = await db.selectFrom('emails').select('id').where('idempotency_key', '=', key).executeTakeFirst();
  return new MailwrightError(ErrorCodes.IDEMPOTENCY_KEY_CONFLICT, 'Another email already has this idempotency key.', {
    fix: 'Look the email up with findByIdempotencyKey() and use it instead of inserting a second one.',
    details: existing === undefined ? {} : { existingEmailId: existing.id },
    cause,
  });
}

/** Inserts many records with their payloads in one transaction: all or none. */
export async function insertEmails(records: readonly NewEmailRecord[], nowMs: number, config: InsertEmailsConfig): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((record) => emailToRow(record, nowMs));
  const payloads = records.flatMap((record) => payloadRowOf(record) ?? []);
  try {
    await config.bulkInsert(rows, payloads);
  } catch (error) {
    if (isIdempotencyConflict(error)) {
      throw new MailwrightError(ErrorCodes.IDEMPOTENCY_KEY_CONFLICT, 'Two emails in the batch, or an email in the batch and a stored one, share an idempotency key; nothing was inserted.', {
        fix: 'Give each email its own idempotency key, or drop the ones findByIdempotencyKey() already finds.',
        cause: error,
      });
    }
    throw error;
  }
}
