import type Database from 'better-sqlite3';

/**
 * Makes `db.prepare(sql)` return a cached statement for SQL text it has seen
 * (least recently used dropped beyond `capacity`). Kysely's SQLite driver
 * prepares every query afresh; the store's hot queries (claim, finish an
 * attempt, read payloads) repeat the same SQL text, so caching skips SQLite's
 * parse and plan on each call. Safe because better-sqlite3 runs a statement to
 * completion synchronously (Kysely does not keep iterators open across awaits
 * on one connection).
 */
export function withStatementCache(db: Database.Database, capacity = 256): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached !== undefined) {
      cache.delete(sql);
      cache.set(sql, cached);
      return cached;
    }
    const statement = prepare(sql);
    cache.set(sql, statement);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return statement;
  }) as Database.Database['prepare'];
  return db;
}
