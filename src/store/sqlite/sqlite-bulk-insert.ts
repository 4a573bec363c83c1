import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { BulkInsert } from '../shared/insert-emails.js';
import type { StoreDatabase } from '../shared/store-database.js';

/**
 * Bulk insert for SQLite with one prepared statement per table, re-run per row
 * in one IMMEDIATE transaction while holding the store's connection (and so its
 * process-wide file lock). Building one multi-row INSERT per 500 rows through
 * the query builder costs more than SQLite's own work; a prepared statement
 * does not. Every `NewEmailRow` has every column; rows bind by position, which
 * better-sqlite3 does about a quarter faster than by name.
 */
export function sqliteBulkInsert(db: Kysely<StoreDatabase>, database: () => Database.Database): BulkInsert {
  return (rows, payloads) =>
    db.connection().execute(async () => {
      const first = rows[0];
      if (first === undefined) return;
      const sqlite = database();
      const columns = Object.keys(first) as (keyof typeof first)[];
      const insertEmail = sqlite.prepare(`INSERT INTO emails (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const insertPayload = sqlite.prepare('INSERT INTO email_payloads (email_id, payload) VALUES (?, ?)');
      sqlite
        .transaction(() => {
          rows.forEach((row) => insertEmail.run(columns.map((c) => row[c])));
          payloads.forEach((payload) => insertPayload.run(payload.email_id, payload.payload));
        })
        .immediate();
    });
}
