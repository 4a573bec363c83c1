import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { BulkInsert } from '../shared/kysely-store.js';
import type { StoreDatabase } from '../shared/store-database.js';

/**
 * Bulk insert for SQLite with one prepared statement, re-run per row in one
 * IMMEDIATE transaction while holding the store's connection (and so its
 * process-wide file lock). Building one multi-row INSERT per 500 rows through
 * the query builder costs more than SQLite's own work; a prepared statement
 * does not. Rows bind by name: every `NewEmailRow` has every column.
 */
export function sqliteBulkInsert(db: Kysely<StoreDatabase>, database: () => Database.Database): BulkInsert {
  return (rows) =>
    db.connection().execute(async () => {
      const first = rows[0];
      if (first === undefined) return;
      const sqlite = database();
      const columns = Object.keys(first);
      const insert = sqlite.prepare(`INSERT INTO emails (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
      sqlite.transaction(() => rows.forEach((row) => insert.run(row))).immediate();
    });
}
