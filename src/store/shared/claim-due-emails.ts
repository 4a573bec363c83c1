import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { EmailRecord } from '../email-record.js';
import type { ClaimOptions } from '../store.js';
import { checkCallOptions } from './call-options.js';
import { rowToEmail } from './email-row.js';
import { appendedLog, attemptLogLine } from './attempt-log.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { catalogueEntry } from '../../errors/failure-catalogue.js';
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

/** A due email as the claim finds it: `sending` when its worker's lease has expired (a takeover). */
interface Candidate {
  id: string;
  status: string;
  attempts: number | string;
  provider_id: string | null;
  lease_owner: string | null;
  lease_expires_at_ms: number | string | null;
}

/**
 * Due emails in claim order: status queued/deferred with due <= now, or
 * sending with an expired lease; priority desc, due asc, created asc.
 * PostgreSQL locks them `FOR UPDATE SKIP LOCKED`, so parallel workers skip
 * each other's candidates instead of waiting. SQLite needs no row locks (the
 * transaction began IMMEDIATE, holding the database write lock) but is told
 * to walk the partial claim index: without statistics its planner would pick
 * the status index and sort the whole backlog.
 */
async function candidates(trx: Transaction<StoreDatabase>, dialect: StoreDialect, now: number, limit: number): Promise<Candidate[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<Candidate>`
      select id, status, attempts, provider_id, lease_owner, lease_expires_at_ms from emails indexed by emails_claim_idx
      where ${statusInLiterals(CLAIMABLE_STATUSES)}
        and ((status in ('queued', 'deferred') and due_at_ms <= ${now}) or (status = 'sending' and lease_expires_at_ms <= ${now}))
      order by priority desc, due_at_ms asc, created_at_ms asc, id asc
      limit ${limit}`.execute(trx);
    return rows;
  }
  return trx
    .selectFrom('emails')
    .select(['id', 'status', 'attempts', 'provider_id', 'lease_owner', 'lease_expires_at_ms'])
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
}

/**
 * An email taken over from a worker whose lease expired: that worker may have sent it before
 * it stopped, so the takeover counts as an attempt, is logged (outcome `taken-over`, failure
 * MW_LEASE_EXPIRED naming both workers) and marks the email a possible duplicate.
 */
async function recordTakeover(trx: Transaction<StoreDatabase>, taken: Candidate, owner: string, now: number): Promise<void> {
  const { code, category, explanation, fix, permanent } = catalogueEntry(ErrorCodes.LEASE_EXPIRED)!;
  const expired = taken.lease_expires_at_ms === null ? 'its lease had expired' : `its lease expired at ${new Date(Number(taken.lease_expires_at_ms)).toISOString()}`;
  const message = `Worker ${taken.lease_owner ?? '(unknown)'} stopped while sending (${expired}); taken over by ${owner}.`;
  const at = new Date(now).toISOString();
  const attempt = Number(taken.attempts) + 1;
  const line = attemptLogLine({ emailId: taken.id, attempt, providerId: taken.provider_id ?? '', startedAt: at, finishedAt: at, outcome: 'taken-over', failure: { code, category, explanation, fix, permanent, message } });
  await trx.updateTable('emails').set({ attempts: attempt, possible_duplicate: 1, attempt_log: appendedLog(line) }).where('id', '=', taken.id).execute();
}

/**
 * Claims due emails in one write transaction: selects candidates, records the takeovers
 * among them, then sets them `sending` with a lease (owner, now + leaseMs) and returns them
 * in claim order. Two concurrent callers never get the same email.
 */
export async function claimDueEmails(db: Kysely<StoreDatabase>, dialect: StoreDialect, options: ClaimOptions): Promise<EmailRecord[]> {
  checkClaimOptions(options);
  const { now, limit, leaseMs, owner } = options;
  return db.transaction().execute(async (trx) => {
    const found = await candidates(trx, dialect, now, limit);
    if (found.length === 0) return [];
    for (const taken of found.filter((c) => c.status === 'sending')) await recordTakeover(trx, taken, owner, now);
    const ids = found.map((c) => c.id);
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
