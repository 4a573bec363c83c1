import { sql, type Kysely, type Transaction } from 'kysely';
import type { ExtendLeasesOptions } from '../store.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';

/**
 * On PostgreSQL, locks the rows in id order first. A multi-row UPDATE locks rows
 * in whatever order its plan visits them; a worker's lease renewal and its
 * outcome writes (also in id order, see finishAttempts) touch the same rows and
 * would otherwise deadlock now and then. SQLite serializes write transactions.
 */
async function lockInIdOrder(trx: Transaction<StoreDatabase>, dialect: StoreDialect, ids: string[]): Promise<void> {
  if (dialect === 'postgres') await trx.selectFrom('emails').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/**
 * Gives back the leases `owner` holds on emails it will not send after all:
 * each becomes waiting again (`deferred` if it was deferred before, else
 * `queued`), due as before, with no throttle slot, claimable by any worker at
 * once. Emails no longer `sending` under this owner's lease (finished, or
 * taken over after the lease expired) are left alone. Returns how many were
 * released.
 */
export async function releaseLeasedEmails(db: Kysely<StoreDatabase>, dialect: StoreDialect, ids: readonly string[], owner: string, nowMs: number): Promise<number> {
  if (ids.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await lockInIdOrder(trx, dialect, [...ids]);
    const result = await trx
      .updateTable('emails')
      .set({
        status: sql<string>`case when deferrals > 0 then 'deferred' else 'queued' end`,
        lease_owner: null,
        lease_expires_at_ms: null,
        // A throttle slot reserved (or a forced send marked) for the send that will not happen.
        sent_at_ms: null,
        forced: 0,
        updated_at_ms: nowMs,
      })
      .where('id', 'in', [...ids])
      .where('status', '=', 'sending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

/**
 * Extends the leases `owner` still holds (status `sending`, the lease not yet
 * expired at `now`) to `now + leaseMs`, and returns the ids it holds. An email
 * missing from the answer was lost (its lease expired, and another worker may
 * have taken it over): the caller must not send it.
 */
export async function extendLeasedEmails(db: Kysely<StoreDatabase>, dialect: StoreDialect, { ids, owner, now, leaseMs }: ExtendLeasesOptions): Promise<string[]> {
  if (ids.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    await lockInIdOrder(trx, dialect, [...ids]);
    const rows = await trx
      .updateTable('emails')
      .set({ lease_expires_at_ms: now + leaseMs, updated_at_ms: now })
      .where('id', 'in', [...ids])
      .where('status', '=', 'sending')
      .where('lease_owner', '=', owner)
      .where('lease_expires_at_ms', '>', now)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  });
}
