import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { EmailRecord } from '../email-record.js';
import type { ClaimOptions } from '../store.js';
import { checkCallOptions } from './call-options.js';
import { rowToEmail } from './email-row.js';
import { EMAIL_COLUMNS, type StoreDatabase } from './store-database.js';
import { CLAIMABLE_STATUSES, statusInLiterals, type StoreDialect } from './store-migrations.js';

/** Checks claim options; throws MW_INVALID_QUERY saying what to fix. */
function checkClaimOptions(options: ClaimOptions): void {
  checkCallOptions(
    'claimDue',
    [
      !Number.isSafeInteger(options.now) && 'now must be epoch milliseconds',
      (!Number.isInteger(options.limit) || options.limit < 1) && 'limit must be a whole number >= 1',
      (!Number.isSafeInteger(options.leaseMs) || options.leaseMs < 1) && 'leaseMs must be a whole number of ms >= 1',
      options.owner.trim() === '' && 'owner must not be empty',
    ],
    'Pass { now: clock.now().toMillis(), limit: 10, leaseMs: 60000, owner: "<worker id>" }.',
  );
}

/** Due at `now`: waiting (queued or deferred) and due, or `sending` under an expired lease. */
function isDue(eb: ExpressionBuilder<StoreDatabase, 'emails'>, now: number) {
  return eb.or([
    eb.and([eb('status', 'in', ['queued', 'deferred']), eb('due_at_ms', '<=', now)]),
    eb.and([eb('status', '=', 'sending'), eb('lease_expires_at_ms', '<=', now)]),
  ]);
}

/**
 * Ids of due emails in claim order: status queued/deferred with due <= now,
 * or sending with an expired lease; priority desc, due asc, created asc.
 * PostgreSQL locks them `FOR UPDATE SKIP LOCKED`, so parallel workers skip
 * each other's candidates instead of waiting. SQLite needs no row locks (the
 * transaction began IMMEDIATE, holding the database write lock) but is told
 * to walk the partial claim index: without statistics its planner would pick
 * the status index and sort the whole backlog.
 */
async function candidateIds(trx: Transaction<StoreDatabase>, dialect: StoreDialect, now: number, limit: number): Promise<string[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ id: string }>`
      select id from emails indexed by emails_claim_idx
      where ${statusInLiterals(CLAIMABLE_STATUSES)}
        and ((status in ('queued', 'deferred') and due_at_ms <= ${now}) or (status = 'sending' and lease_expires_at_ms <= ${now}))
      order by priority desc, due_at_ms asc, created_at_ms asc, id asc
      limit ${limit}`.execute(trx);
    return rows.map((row) => row.id);
  }
  const rows = await trx
    .selectFrom('emails')
    .select('id')
    // Same literal predicate as the partial claim index.
    .where(statusInLiterals(CLAIMABLE_STATUSES))
    .where((eb) => isDue(eb, now))
    .orderBy('priority', 'desc')
    .orderBy('due_at_ms', 'asc')
    .orderBy('created_at_ms', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Claims due emails in one write transaction: selects candidates, then sets
 * them `sending` with a lease (owner, now + leaseMs) and returns them in
 * claim order. Two concurrent callers never get the same email.
 */
export async function claimDueEmails(db: Kysely<StoreDatabase>, dialect: StoreDialect, options: ClaimOptions): Promise<EmailRecord[]> {
  checkClaimOptions(options);
  const { now, limit, leaseMs, owner } = options;
  return db.transaction().execute(async (trx) => {
    const ids = await candidateIds(trx, dialect, now, limit);
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('emails')
      .set({ status: 'sending', lease_owner: owner, lease_expires_at_ms: now + leaseMs, updated_at_ms: now })
      .where('id', 'in', ids)
      .returning(EMAIL_COLUMNS)
      .execute();
    const order = new Map(ids.map((id, index) => [id, index]));
    return rows.map(rowToEmail).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  });
}

/** How many emails {@link claimDueEmails} would hand out at `now` with no limit. */
export async function countDueEmails(db: Kysely<StoreDatabase>, now: number): Promise<number> {
  checkCallOptions('countDue', [!Number.isSafeInteger(now) && 'now must be epoch milliseconds'], 'Pass clock.now().toMillis().');
  const row = await db
    .selectFrom('emails')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    // Same literal predicate as the partial claim index, so the count walks only waiting rows.
    .where(statusInLiterals(CLAIMABLE_STATUSES))
    .where((eb) => isDue(eb, now))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
