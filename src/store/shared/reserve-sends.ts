import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { planThrottle, type LineEntry, type ThrottlePlan } from '../../queue/throttle-plan.js';
import type { ReserveSendsOptions, SendReservation } from '../store.js';
import { attemptLogLine } from './attempt-log.js';
import { checkCallOptions } from './call-options.js';
import { sentSince } from './sent-since.js';
import type { StoreDatabase } from './store-database.js';
import { CLAIMABLE_STATUSES, statusInLiterals, type StoreDialect } from './store-migrations.js';

/** Checks reservation options; throws MW_INVALID_QUERY saying what to fix. */
function checkReserveOptions(options: ReserveSendsOptions): void {
  checkCallOptions(
    'reserveSends',
    [
      options.providerId.trim() === '' && 'providerId must not be empty',
      !Number.isSafeInteger(options.now) && 'now must be epoch milliseconds',
      (!Number.isSafeInteger(options.windowMs) || options.windowMs < 1) && 'windowMs must be a whole number of ms >= 1',
      (!Number.isSafeInteger(options.limit) || options.limit < 1) && 'limit must be a whole number >= 1',
      (!Number.isSafeInteger(options.maxDeferrals) || options.maxDeferrals < 0) && 'maxDeferrals must be a whole number >= 0',
      options.owner.trim() === '' && 'owner must not be empty',
    ],
    'Pass { providerId: "smtp", emailIds: [...], owner: "<worker id>", now: clock.now().toMillis(), windowMs: 60000, limit: 30, maxDeferrals: 10 }.',
  );
}

/** Times of the window's sends and reservations, except the emails being reserved now. */
async function windowTimes(trx: Transaction<StoreDatabase>, { providerId, emailIds, now, windowMs }: ReserveSendsOptions): Promise<number[]> {
  const windowStart = now - windowMs;
  const ids = [...emailIds];
  // Sends strictly inside the window (windowStart, now], as the throttle rule counts them, except
  // the emails being reserved now (one may hold an older reservation of a worker that crashed).
  const sent = await sentSince(trx, providerId, windowStart + 1)
    .select('sent_at_ms')
    .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
    .execute();
  // Reservations older than the window whose email is still being sent keep their slot until
  // the send ends (a batch may take longer than the window); they count as taken now.
  const stillSending = await trx
    .selectFrom('emails')
    .select('id')
    .where('status', '=', 'sending')
    .where('provider_id', '=', providerId)
    .where('sent_at_ms', '<=', windowStart)
    .where('lease_expires_at_ms', '>', now)
    .where((eb) => eb(eb.ref('forced'), '=', eb.lit(0)))
    .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
    .execute();
  return [...sent.map((row) => Number(row.sent_at_ms)), ...stillSending.map(() => now)];
}

/**
 * The first `count` emails of the line, in send order (priority desc, created, id): every
 * email waiting for a slot — deferred, queued and due, or claimed by a worker that has not
 * reserved yet (`sending` under a lease, no slot) — and the emails being reserved now.
 */
async function lineHead(trx: Transaction<StoreDatabase>, dialect: StoreDialect, emailIds: readonly string[], now: number, count: number): Promise<LineEntry[]> {
  const waiting = sql<boolean>`(status = 'deferred' or (status = 'queued' and due_at_ms <= ${now})
    or (status = 'sending' and sent_at_ms is null and lease_owner is not null)
    ${emailIds.length > 0 ? sql`or id in (${sql.join([...emailIds])})` : sql``})`;
  type Row = { id: string; status: string; due_at_ms: number | string };
  // SQLite is told to walk the line index, as claimDue its own (without statistics it would sort the backlog).
  const rows: Row[] =
    dialect === 'sqlite'
      ? (
          await sql<Row>`select id, status, due_at_ms from emails indexed by emails_line_idx
            where ${statusInLiterals(CLAIMABLE_STATUSES)} and ${waiting}
            order by priority desc, created_at_ms asc, id asc limit ${count}`.execute(trx)
        ).rows
      : await trx
          .selectFrom('emails')
          .select(['id', 'status', 'due_at_ms'])
          .where(statusInLiterals(CLAIMABLE_STATUSES))
          .where(waiting)
          .orderBy('priority', 'desc')
          .orderBy('created_at_ms', 'asc')
          .orderBy('id', 'asc')
          .limit(count)
          .execute();
  return rows.map((row) => ({ id: row.id, deferred: row.status === 'deferred', dueAtMs: Number(row.due_at_ms) }));
}

/** `case id when … then … end`: one value per email, for a single UPDATE of many rows. */
function perEmail(values: readonly (readonly [string, unknown])[], type: 'bigint' | 'integer' | 'text'): RawBuilder<unknown> {
  const whens = values.map(([id, value]) => sql`when ${id} then cast(${value} as ${sql.raw(type)})`);
  return sql`case id ${sql.join(whens, sql` `)} end`;
}

/** Writes the plan: slots (and forced sends) taken, deferrals with their attempt-log entries, sooner due times. */
async function writePlan(trx: Transaction<StoreDatabase>, options: ReserveSendsOptions, plan: ThrottlePlan, attempts: ReadonlyMap<string, number>): Promise<void> {
  const { providerId, now, owner } = options;
  const held = (ids: string[]) =>
    trx.updateTable('emails').where('id', 'in', ids).where('status', '=', 'sending').where('lease_owner', '=', owner);
  // A forced send leaves the line (it is being sent) without counting in the window.
  for (const [ids, forced] of [[plan.send, 0], [plan.force, 1]] as const) {
    if (ids.length > 0) await held(ids).set({ provider_id: providerId, sent_at_ms: now, forced, updated_at_ms: now }).execute();
  }
  if (plan.defer.length > 0) {
    const stamp = new Date(now).toISOString();
    const lines = plan.defer.map((d) => [d.id, attemptLogLine({ emailId: d.id, attempt: attempts.get(d.id) ?? 0, providerId, startedAt: stamp, finishedAt: stamp, outcome: 'deferred' })] as const);
    await held(plan.defer.map((d) => d.id))
      .set({
        status: 'deferred',
        provider_id: providerId,
        due_at_ms: perEmail(plan.defer.map((d) => [d.id, d.untilMs]), 'bigint') as never,
        deferrals: perEmail(plan.defer.map((d) => [d.id, d.deferrals]), 'integer') as never,
        deferred_at_ms: perEmail(plan.defer.map((d) => [d.id, d.deferredAtMs]), 'bigint') as never,
        attempt_log: sql<string>`coalesce(attempt_log, '') || ${perEmail(lines, 'text')}`,
        lease_owner: null,
        lease_expires_at_ms: null,
        sent_at_ms: null,
        updated_at_ms: now,
      })
      .execute();
  }
  if (plan.sooner.length > 0) {
    await trx
      .updateTable('emails')
      .set({ due_at_ms: perEmail(plan.sooner.map((s) => [s.id, s.dueAtMs]), 'bigint') as never, updated_at_ms: now })
      .where('id', 'in', plan.sooner.map((s) => s.id))
      .where('status', '=', 'deferred')
      .execute();
  }
}

/**
 * The throttle for a claimed batch, shared by every worker on the store: one
 * transaction, serialized with every other reservation for the provider (SQLite:
 * the IMMEDIATE write lock; PostgreSQL: a transaction-level advisory lock per
 * provider), reads the window (the provider's non-forced sends and reservations in
 * the last `windowMs`) and the head of the line of waiting emails, plans with
 * {@link planThrottle}, and writes the plan: a slot is the email's provider and
 * `sent_at` set to now, so it counts in every worker's window at once, and for as
 * long as its email is still being sent under a lease even beyond the window (the
 * outcome replaces or clears it); a forced send is marked so too, without counting;
 * a deferral makes the email `deferred` until its slot, its lease given up, with an
 * attempt-log entry. Claimed emails no longer `sending` under `owner`'s lease get nothing.
 */
export async function reserveSends(db: Kysely<StoreDatabase>, dialect: StoreDialect, options: ReserveSendsOptions): Promise<SendReservation> {
  checkReserveOptions(options);
  const { providerId, emailIds, now, limit, maxDeferrals, owner } = options;
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`mailwright:throttle:${providerId}`}))`.execute(trx);
    const sentTimesMs = await windowTimes(trx, options);
    const rows =
      emailIds.length === 0
        ? []
        : await trx
            .selectFrom('emails')
            .select(['id', 'attempts', 'deferrals', 'deferred_at_ms'])
            .where('id', 'in', [...emailIds])
            .where('status', '=', 'sending')
            .where('lease_owner', '=', owner)
            .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const claimed = emailIds.flatMap((id) => {
      const row = byId.get(id);
      if (row === undefined) return [];
      return [{ id, deferrals: Number(row.deferrals), ...(row.deferred_at_ms !== null ? { deferredAtMs: Number(row.deferred_at_ms) } : {}) }];
    });
    const line = await lineHead(trx, dialect, claimed.map((c) => c.id), now, limit + claimed.length);
    const plan = planThrottle({ limit, nowMs: now, maxDeferrals, sentTimesMs, line, claimed });
    await writePlan(trx, options, plan, new Map(rows.map((row) => [row.id, Number(row.attempts)])));
    return {
      reserved: plan.send,
      forced: plan.force,
      deferred: plan.defer.map(({ id, untilMs, deferrals }) => ({ id, untilMs, deferrals })),
      sooner: plan.sooner.length,
      sentTimesMs: [...sentTimesMs, ...plan.send.map(() => now)].sort((a, b) => a - b),
    };
  });
}
