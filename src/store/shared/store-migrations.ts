import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { StoreDatabase } from './store-database.js';

/** The SQL dialect a store speaks (the few query differences: claim locking, index hints). */
export type StoreDialect = 'sqlite' | 'postgres';

/** Statuses a worker may claim (the claim index's predicate). */
export const CLAIMABLE_STATUSES = ['queued', 'deferred', 'sending'] as const;

/**
 * The indexes over the whole history (history lists, the throttle window). A SQLite purge
 * deleting a large share of the rows drops them and builds them again rather than deleting
 * their entries row by row (see sqlite/off-thread-purge.ts): keep this list in step when a
 * migration renames one. The claim and idempotency indexes are partial and stay.
 */
export const HISTORY_INDEXES: readonly string[] = ['emails_status_created_idx', 'emails_sender_status_created_idx', 'emails_provider_sent_idx'];

/** `status IN ('a', 'b')` with literal values, so partial indexes match in both databases. */
export function statusInLiterals(statuses: readonly string[]) {
  return sql<boolean>`status in (${sql.join(statuses.map((s) => sql.lit(s)))})`;
}

/** Version 1: emails (with their attempt logs), payloads of unfinished emails, settings, and the hot-path indexes. */
function initialSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('emails')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('provider_id', 'text')
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('from_formatted', 'text', (c) => c.notNull())
        .addColumn('sender_address', 'text', (c) => c.notNull())
        .addColumn('sender_formatted', 'text')
        .addColumn('user_id', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('deferrals', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('forced', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('due_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('sent_at_ms', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at_ms', 'bigint')
        .addColumn('blocked_reason', 'text')
        .addColumn('response', 'text')
        .addColumn('provider_message_id', 'text')
        .addColumn('export_path', 'text')
        .addColumn('recipients_json', 'text', (c) => c.notNull())
        .addColumn('failure_json', 'text')
        .addColumn('meta_json', 'text', (c) => c.notNull())
        // Last, so reading the other columns never touches the overflow pages of a long log.
        .addColumn('attempt_log', 'text')
        .execute();

      // No foreign key: a payload is deleted with the update that makes its email sent,
      // exported or blocked, and a failed email's by the retention purge's sweep
      // (purge-finished.ts), in the purge's transaction.
      await db.schema
        .createTable('email_payloads')
        .ifNotExists()
        .addColumn('email_id', 'text', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_json', 'text', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      // Claim: only waiting rows are indexed, in claim order (priority desc, due, created).
      await db.schema
        .createIndex('emails_claim_idx')
        .ifNotExists()
        .on('emails')
        .columns(['priority desc', 'due_at_ms', 'created_at_ms', 'id'])
        .where(statusInLiterals(CLAIMABLE_STATUSES))
        .execute();
      // History, newest first: one index range per status, or per sender + status. Every list
      // query runs one LIMITed branch per status (see list-emails.ts), so no index on
      // created_at alone is needed, and leaving `id` out keeps these indexes narrow: both
      // make the retention purge (which walks emails_status_created_idx) much cheaper.
      await db.schema
        .createIndex('emails_status_created_idx')
        .ifNotExists()
        .on('emails')
        .columns(['status', 'created_at_ms'])
        .execute();
      await db.schema
        .createIndex('emails_sender_status_created_idx')
        .ifNotExists()
        .on('emails')
        .columns(['sender_address', 'status', 'created_at_ms'])
        .execute();
      // Throttle window: non-forced sends of one provider since an instant.
      await db.schema
        .createIndex('emails_provider_sent_idx')
        .ifNotExists()
        .on('emails')
        .columns(['provider_id', 'sent_at_ms'])
        .where(sql<boolean>`forced = 0 and sent_at_ms is not null`)
        .execute();
      // Idempotency: unique among the emails that have a key.
      await db.schema
        .createIndex('emails_idempotency_key_idx')
        .ifNotExists()
        .unique()
        .on('emails')
        .column('idempotency_key')
        .where(sql<boolean>`idempotency_key is not null`)
        .execute();
    },
  };
}

/**
 * Version 2: the throttle's line and possible duplicates. `deferred_at_ms` is when an email's
 * last counted deferral began (a deferral lasts up to a minute, see throttle.ts);
 * `possible_duplicate` marks an email an earlier attempt may have delivered (a worker lost
 * its lease mid-send, or the connection broke after the whole message was sent); the line
 * index walks the waiting emails in send order (priority, then creation) for reserveSends.
 */
function throttleLine(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('emails').addColumn('deferred_at_ms', 'bigint').execute();
      await db.schema
        .alterTable('emails')
        .addColumn('possible_duplicate', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('emails_line_idx')
        .ifNotExists()
        .on('emails')
        .columns(['priority desc', 'created_at_ms', 'id'])
        .where(statusInLiterals(CLAIMABLE_STATUSES))
        .execute();
    },
  };
}

/** Every schema version, in order. Never edit a released one: append a new version. */
export function storeMigrations(): Record<string, Migration> {
  return { '0001_initial': initialSchema(), '0002_throttle_line': throttleLine() };
}

/** Serves {@link storeMigrations} to Kysely's Migrator. */
class InlineMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(storeMigrations());
  }
}

/**
 * Brings the schema to the latest version with Kysely's Migrator (a
 * `mailwright_migration` table records applied versions; PostgreSQL takes an
 * advisory lock, SQLite a write lock, so concurrent starts are safe).
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InlineMigrationProvider(),
    migrationTableName: 'mailwright_migration',
    migrationLockTableName: 'mailwright_migration_lock',
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    if (failed !== undefined && typeof error === 'object' && error !== null && 'message' in error) {
      (error as { message: string }).message = `migration ${failed} failed: ${String(error.message)}`;
    }
    throw error;
  }
  await checkSchema(db);
}

/**
 * Refuses a database whose recorded version 1 is an older pre-release form of
 * it (made before 2026-11-25, when version 1 was still being changed in place):
 * Kysely sees it as up to date, so without this check the first write would fail
 * with a bare "no such column".
 */
async function checkSchema(db: Kysely<unknown>): Promise<void> {
  try {
    // Through the query builder, so that a PostgreSQL store's schema applies.
    const current = db as Kysely<StoreDatabase>;
    await current.selectFrom('emails').select('attempt_log').where(sql<boolean>`1 = 0`).execute();
    await current.selectFrom('email_payloads').select(['email_id', 'payload']).where(sql<boolean>`1 = 0`).execute();
  } catch (cause) {
    throw new MailwrightError(ErrorCodes.STORE_FAILED, 'This database was made by a pre-release build of mailwright with an older form of the schema, which is not upgraded.', {
      fix: 'Move or delete the database file (or drop the mailwright tables in this PostgreSQL schema) and run migrate() again.',
      details: { reason: cause instanceof Error ? cause.message : String(cause) },
      cause,
    });
  }
}
