import type { Kysely } from 'kysely';
import type { StoreDatabase } from './store-database.js';

/** Non-forced sends of a provider since an instant (matches the partial throttle index). */
export function sentSince(db: Kysely<StoreDatabase>, providerId: string, sinceMs: number) {
  return db
    .selectFrom('emails')
    .where('provider_id', '=', providerId)
    .where('sent_at_ms', '>=', sinceMs)
    .where((eb) => eb(eb.ref('forced'), '=', eb.lit(0)));
}

/** How many non-forced sends a provider made since `sinceMs` (the throttle window). */
export async function countSentSince(db: Kysely<StoreDatabase>, providerId: string, sinceMs: number): Promise<number> {
  const row = await sentSince(db, providerId, sinceMs)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The times of those sends, oldest first. */
export async function listSentTimesSince(db: Kysely<StoreDatabase>, providerId: string, sinceMs: number): Promise<number[]> {
  const rows = await sentSince(db, providerId, sinceMs).select('sent_at_ms').orderBy('sent_at_ms', 'asc').execute();
  return rows.map((row) => Number(row.sent_at_ms));
}
