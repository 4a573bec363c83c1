import { sql, type Kysely } from 'kysely';
import type { ReserveSendsOptions, SendReservation } from '../store.js';
import { checkCallOptions } from './call-options.js';
import { sentSince } from './sent-since.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';

/** Checks reservation options; throws MW_INVALID_QUERY saying what to fix. */
function checkReserveOptions(options: ReserveSendsOptions): void {
  checkCallOptions(
    'reserveSends',
    [
      options.providerId.trim() === '' && 'providerId must not be empty',
      !Number.isSafeInteger(options.now) && 'now must be epoch milliseconds',
      (!Number.isSafeInteger(options.windowMs) || options.windowMs < 1) && 'windowMs must be a whole number of ms >= 1',
      (!Number.isSafeInteger(options.limit) || options.limit < 1) && 'limit must be a whole number >= 1',
    ],
    'Pass { providerId: "smtp", emailIds: [...], now: clock.now().toMillis(), windowMs: 60000, limit: 30 }.',
  );
}

/**
 * Throttle slots for emails about to be sent, shared by every worker on the
 * store: one transaction, serialized with every other reservation for the
 * provider (SQLite: the IMMEDIATE write lock; PostgreSQL: a transaction-level
 * advisory lock per provider), counts the provider's non-forced sends and
 * reservations in the window and gives the free slots to the first emails.
 * A reservation is the email's provider and `sent_at` set to now, so it counts
 * in every worker's window at once, and for as long as its email is still being
 * sent under a lease even beyond the window; the outcome replaces or clears it.
 */
export async function reserveSends(db: Kysely<StoreDatabase>, dialect: StoreDialect, options: ReserveSendsOptions): Promise<SendReservation> {
  checkReserveOptions(options);
  const { providerId, emailIds, now, windowMs, limit } = options;
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`mailwright:throttle:${providerId}`}))`.execute(trx);
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
    const inWindow = [...sent.map((row) => Number(row.sent_at_ms)), ...stillSending.map(() => now)].sort((a, b) => a - b);
    const reserved = emailIds.slice(0, Math.max(0, limit - inWindow.length));
    if (reserved.length > 0) {
      await trx.updateTable('emails').set({ provider_id: providerId, sent_at_ms: now, updated_at_ms: now }).where('id', 'in', [...reserved]).execute();
    }
    return { reserved: [...reserved], sentTimesMs: [...inWindow, ...reserved.map(() => now)] };
  });
}
