import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { BulkInsert } from '../shared/kysely-store.js';
import type { StoreDatabase } from '../shared/store-database.js';

/**
 * Bulk insert for SQLite with one prepared statement per table, run in one
 * IMMEDIATE transaction while holding the store's connection (and so its
 * process-wide file lock). Building one multi-row INSERT per 500 rows through
 * the query builder costs more than SQLite's own work; a prepared statement
 * re-run per row does not.
 */
export function sqliteBulkInsert(db: Kysely<StoreDatabase>, database: () => Database.Database): BulkInsert {
  return (rows, payloads) =>
    db.connection().execute(async () => {
      const sqlite = database();
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const insertEmail = sqlite.prepare(`INSERT INTO emails (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const insertPayload = sqlite.prepare('INSERT INTO email_payloads (email_id, payload) VALUES (?, ?)');
      sqlite
        .transaction(() => {
          for (const row of rows) insertEmail.run(columns.map((c) => (row as Record<string, unknown>)[c] ?? null));
          for (const { email_id, payload } of payloads) insertPayload.run(email_id, payload);
        })
        .immediate();
    });
}
