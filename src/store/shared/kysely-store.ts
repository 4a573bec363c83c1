import type { Kysely } from 'kysely';
import type { Clock } from '../../clock/clock.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { AttemptRecord, EmailPatch, EmailRecord, NewEmailRecord } from '../email-record.js';
import type { HistoryCountQuery, HistoryCounts, HistoryPage, HistoryQuery } from '../history-query.js';
import type { AttemptCompletion, ClaimOptions, EmailChange, ExtendLeasesOptions, FinishedAttempts, ReserveSendsOptions, SendReservation, Store } from '../store.js';
import { appendedLog, attemptLogLine, parseAttemptLog } from './attempt-log.js';
import { claimDueEmails, countDueEmails } from './claim-due-emails.js';
import { finishAttemptsIn, planCompletions, type FinishAttempts } from './finish-attempts.js';
import { changeEmailsIn } from './change-emails.js';
import { purgeFinished, type LongPurge } from './purge-finished.js';
import { dropsPayload, dropPayloads } from './email-payloads.js';
import { patchToColumns, rowToEmail } from './email-row.js';
import { toEpochMs } from './epoch-time.js';
import { toCountFilter, toHistoryFilter } from './history-filter.js';
import { countEmails, idsWithMessage } from './count-emails.js';
import { listEmailPage } from './list-emails.js';
import { extendLeasedEmails, releaseLeasedEmails } from './leases.js';
import { reserveSends } from './reserve-sends.js';
import { countSentSince, listSentTimesSince } from './sent-since.js';
import { insertEmail, insertEmails, type InsertEmailsConfig } from './insert-emails.js';
import { toStoreError } from './store-error.js';
import { EMAIL_COLUMNS, type StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';

/** What a dialect gives the shared store (and how it inserts many emails). */
export interface KyselyStoreConfig extends InsertEmailsConfig {
  dialect: StoreDialect;
  /** Kysely instance (already scoped to the schema, if any). */
  db: Kysely<StoreDatabase>;
  /** Source of createdAt/updatedAt. */
  clock: Clock;
  /** Creates/upgrades the schema. */
  migrate: () => Promise<void>;
  /** Releases connections (called once). */
  close: () => Promise<void>;
  /**
   * Runs a large retention purge away from the JavaScript thread and returns the
   * rows it deleted. @default run like every other query
   */
  longPurge?: LongPurge;
  /** Ends attempts faster than the shared query code. @default `finishAttemptsIn` through Kysely */
  finishAttempts?: FinishAttempts;
}

const notFound = (id: string): MailwrightError =>
  new MailwrightError(ErrorCodes.EMAIL_NOT_FOUND, `No email with id "${id}" in the history.`, {
    fix: 'Check the id; the email may have been purged by the history retention.',
    details: { emailId: id },
  });

/**
 * The {@link Store} for every Kysely dialect: the query code is shared, the
 * dialect folders only open connections and choose the locking flavour.
 */
export class KyselyStore implements Store {
  readonly dialect: StoreDialect;
  private readonly db: Kysely<StoreDatabase>;
  private closing: Promise<void> | undefined;

  constructor(private readonly config: KyselyStoreConfig) {
    this.dialect = config.dialect;
    this.db = config.db;
  }

  private nowMs(): number {
    return this.config.clock.now().toMillis();
  }

  /** Runs one operation; database errors become MW_STORE_FAILED. */
  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) {
      throw new MailwrightError(ErrorCodes.STORE_FAILED, `The ${this.dialect} store is closed; cannot ${operation}.`, {
        fix: 'Do not use a store (or mailwright instance) after close().',
        details: { operation, dialect: this.dialect },
      });
    }
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error, operation, this.dialect);
    }
  }

  migrate(): Promise<void> {
    return this.run('migrate the schema', () => this.config.migrate());
  }

  close(): Promise<void> {
    this.closing ??= this.config.close().catch((error: unknown) => {
      throw toStoreError(error, 'close', this.dialect);
    });
    return this.closing;
  }

  getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return this.run('read a setting', async () => {
      const row = await this.db.selectFrom('settings').select('value_json').where('key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : (JSON.parse(row.value_json) as T);
    });
  }

  /** Stores a JSON value; `undefined` deletes the setting. */
  putSetting(key: string, value: unknown): Promise<void> {
    return this.run('write a setting', async () => {
      if (value === undefined) {
        await this.db.deleteFrom('settings').where('key', '=', key).execute();
        return;
      }
      const row = { key, value_json: JSON.stringify(value), updated_at_ms: this.nowMs() };
      await this.db
        .insertInto('settings')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: row.value_json, updated_at_ms: row.updated_at_ms }))
        .execute();
    });
  }

  insertEmail(record: NewEmailRecord): Promise<EmailRecord> {
    return this.run('insert an email', () => insertEmail(this.db, record, this.nowMs()));
  }

  insertEmails(records: readonly NewEmailRecord[]): Promise<void> {
    return this.run('insert emails', () => insertEmails(records, this.nowMs(), this.config));
  }

  updateEmail(id: string, patch: EmailPatch): Promise<EmailRecord> {
    const update = async (db: Kysely<StoreDatabase>): Promise<EmailRecord> => {
      const row = await db.updateTable('emails').set(patchToColumns(patch, this.nowMs())).where('id', '=', id).returning(EMAIL_COLUMNS).executeTakeFirst();
      if (row === undefined) throw notFound(id);
      if (dropsPayload(patch)) await dropPayloads(db, [id]);
      return rowToEmail(row);
    };
    return this.run('update an email', () => (dropsPayload(patch) ? this.db.transaction().execute(update) : update(this.db)));
  }

  getEmail(id: string): Promise<EmailRecord | undefined> {
    return this.run('read an email', async () => {
      const row = await this.db.selectFrom('emails').select(EMAIL_COLUMNS).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : rowToEmail(row);
    });
  }

  getPayload(id: string): Promise<string | undefined> {
    return this.run('read an email payload', async () => {
      const row = await this.db.selectFrom('email_payloads').select('payload').where('email_id', '=', id).executeTakeFirst();
      return row?.payload;
    });
  }

  getPayloads(ids: readonly string[]): Promise<Map<string, string>> {
    return this.run('read email payloads', async () => {
      if (ids.length === 0) return new Map();
      const rows = await this.db.selectFrom('email_payloads').select(['email_id', 'payload']).where('email_id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.email_id, row.payload]));
    });
  }

  findByIdempotencyKey(key: string): Promise<EmailRecord | undefined> {
    return this.run('find an email by idempotency key', async () => {
      const row = await this.db.selectFrom('emails').select(EMAIL_COLUMNS).where('idempotency_key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : rowToEmail(row);
    });
  }

  listEmails(query: HistoryQuery): Promise<HistoryPage> {
    return this.run('list the history', () => listEmailPage(this.db, this.dialect, toHistoryFilter(query)));
  }

  countEmails(query: HistoryCountQuery): Promise<HistoryCounts> {
    return this.run('count the history', () => countEmails(this.db, this.dialect, toCountFilter(query)));
  }

  keptMessageIds(ids: readonly string[]): Promise<string[]> {
    return this.run('read which messages are kept', () => idsWithMessage(this.db, ids));
  }

  appendAttempt(attempt: AttemptRecord): Promise<void> {
    return this.run('record an attempt', async () => {
      const result = await this.db
        .updateTable('emails')
        .set({ attempt_log: appendedLog(attemptLogLine(attempt)) })
        .where('id', '=', attempt.emailId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound(attempt.emailId);
    });
  }

  async finishAttempt(emailId: string, patch: EmailPatch, attempt: AttemptRecord): Promise<void> {
    const { missing } = await this.finishAttempts([{ emailId, patch, attempt }]);
    if (missing.length > 0) throw notFound(emailId);
  }

  finishAttempts(items: readonly AttemptCompletion[]): Promise<FinishedAttempts> {
    return this.run('finish attempts', async () => {
      if (items.length === 0) return { missing: [], takenOver: [] };
      const planned = planCompletions(items, this.nowMs());
      return this.config.finishAttempts === undefined ? finishAttemptsIn(this.db, planned) : this.config.finishAttempts(planned);
    });
  }

  listAttempts(emailId: string): Promise<AttemptRecord[]> {
    return this.run('list attempts', async () => {
      const row = await this.db.selectFrom('emails').select('attempt_log').where('id', '=', emailId).executeTakeFirst();
      return parseAttemptLog(emailId, row?.attempt_log);
    });
  }

  claimDue(options: ClaimOptions): Promise<EmailRecord[]> {
    return this.run('claim due emails', () => claimDueEmails(this.db, this.dialect, options));
  }

  countDue(now: number): Promise<number> {
    return this.run('count due emails', () => countDueEmails(this.db, now));
  }

  changeEmails(attempts: readonly AttemptRecord[], change: EmailChange): Promise<string[]> {
    return this.run('change emails', () => changeEmailsIn(this.db, attempts, change, this.nowMs()));
  }

  releaseLeases(ids: readonly string[], owner: string): Promise<number> {
    return this.run('release leases', () => releaseLeasedEmails(this.db, this.dialect, ids, owner, this.nowMs()));
  }

  extendLeases(options: ExtendLeasesOptions): Promise<string[]> {
    return this.run('extend leases', () => extendLeasedEmails(this.db, this.dialect, options));
  }

  reserveSends(options: ReserveSendsOptions): Promise<SendReservation> {
    return this.run('reserve throttle slots', () => reserveSends(this.db, this.dialect, options));
  }

  countSentSince(providerId: string, sinceMs: number): Promise<number> {
    return this.run('count recent sends', () => countSentSince(this.db, providerId, sinceMs));
  }

  listSentTimesSince(providerId: string, sinceMs: number): Promise<number[]> {
    return this.run('list recent sends', () => listSentTimesSince(this.db, providerId, sinceMs));
  }

  purgeFinishedBefore(cutoff: string): Promise<number> {
    return this.run('purge the history', () => purgeFinished(this.db, toEpochMs(cutoff, 'cutoff', 'query'), this.config.longPurge));
  }
}
