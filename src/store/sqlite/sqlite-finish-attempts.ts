import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { FinishAttempts, PlannedCompletion } from '../shared/finish-attempts.js';
import type { StoreDatabase } from '../shared/store-database.js';

const APPEND_LOG = `"attempt_log" = coalesce("attempt_log", '') || ?`;
const HELD_BY = `("lease_owner" is null or "lease_owner" = ?)`;

/** The `UPDATE` applying these columns and appending the log line; with `leased`, only while the lease owner holds it. */
const updateText = (columns: readonly string[], leased: boolean): string =>
  `update "emails" set ${columns.map((c) => `"${c}" = ?`).join(', ')}, ${APPEND_LOG} where "id" = ?${leased ? ` and ${HELD_BY}` : ''}`;

/**
 * `finishAttempts` for SQLite: the same statements as the shared Kysely code
 * (see `finishAttemptsIn`), prepared once per SQL text (the statement cache)
 * and run in one IMMEDIATE transaction while holding the store's connection.
 * This is the distributor's write per email; through the query builder,
 * building the queries and the transaction's turns cost up to a sixth of the
 * distributor's time per email (docs/performance.md).
 */
export function sqliteFinishAttempts(db: Kysely<StoreDatabase>, database: () => Database.Database): FinishAttempts {
  return (planned) =>
    db.connection().execute(async () => {
      const sqlite = database();
      const logOnly = sqlite.prepare(`update "emails" set ${APPEND_LOG} where "id" = ?`);
      const dropPayload = sqlite.prepare('delete from "email_payloads" where "email_id" = ?');
      const apply = ({ emailId, columns, logLine, leaseOwner }: PlannedCompletion): number => {
        const names = Object.keys(columns) as (keyof typeof columns)[];
        const values = names.map((name) => columns[name] ?? null);
        const statement = sqlite.prepare(updateText(names, leaseOwner !== undefined));
        return statement.run(...values, logLine, emailId, ...(leaseOwner !== undefined ? [leaseOwner] : [])).changes;
      };
      const missing: string[] = [];
      const takenOver: string[] = [];
      sqlite
        .transaction(() => {
          for (const item of planned) {
            if (apply(item) > 0) {
              if (item.dropPayload) dropPayload.run(item.emailId);
            } else if (item.leaseOwner !== undefined && logOnly.run(item.logLine, item.emailId).changes > 0) takenOver.push(item.emailId);
            else missing.push(item.emailId);
          }
        })
        .immediate();
      return { missing, takenOver };
    });
}
