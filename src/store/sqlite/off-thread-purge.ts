import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import type { LongPurge } from '../shared/purge-finished.js';
import { HISTORY_INDEXES } from '../shared/store-migrations.js';
import type { AsyncLock } from './process-file-lock.js';
import { SQLITE_DRIVER_URL } from './sqlite-driver-url.js';

/**
 * Share of the table at or above which the purge drops the history indexes,
 * deletes, and builds them again, rather than deleting its rows' entries one
 * by one. Measured on 1,000,000 rows: deleting two thirds took 3.7 s rebuilt
 * against 6.7–7.1 s entry by entry, a half 3.4 s against 4.3 s; a third 3.7 s
 * against 2.5 s (the rebuild's cost follows the rows kept).
 */
export const REBUILD_INDEXES_SHARE = 0.5;

/** What the purge worker did. */
export interface PurgeAnswer {
  /** Rows deleted. */
  changes: number;
  /** The indexes dropped and built again (none when the purge deleted a small share of the rows). */
  rebuiltIndexes: string[];
}

// The worker opens its own connection, purges in one IMMEDIATE transaction and exits. It is
// evaluated from a string and only uses dynamic import(), so it runs the same whether Node
// evaluates it as CommonJS or as a module (the parent's --input-type is inherited), from the
// compiled package and under Jest. DDL is transactional in SQLite: if anything fails, the
// rollback restores the indexes with the rows; other connections see the old indexes until
// the commit, and their prepared statements are prepared again after it.
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const { driver, filename, busyTimeoutMs, pragmas, remove, countExpired, sweep, indexes, share } = workerData;
  let db;
  try {
    const { default: Database } = await import(driver);
    db = new Database(filename, { timeout: busyTimeoutMs });
    for (const pragma of pragmas) db.pragma(pragma);
    const purge = db.transaction(() => {
      const expired = Number(db.prepare(countExpired.sql).pluck().get(...countExpired.parameters));
      const total = Number(db.prepare('select count(*) from emails').pluck().get());
      const rebuilt = expired > 0 && expired >= total * share
        ? db.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'emails'").all().filter((index) => indexes.includes(index.name))
        : [];
      for (const { name } of rebuilt) db.exec('drop index "' + name + '"');
      const { changes } = db.prepare(remove.sql).run(...remove.parameters);
      db.prepare(sweep.sql).run(...sweep.parameters);
      for (const { sql } of rebuilt) db.exec(sql);
      // Dropping an index drops its planner statistics: gather them again if the file has any.
      const analyzed = db.prepare("select 1 from sqlite_master where name = 'sqlite_stat1'").get() !== undefined;
      if (analyzed) for (const { name } of rebuilt) db.exec('analyze "' + name + '"');
      return { changes, rebuiltIndexes: rebuilt.map((index) => index.name) };
    });
    parentPort.postMessage(purge.immediate());
  } catch (error) {
    parentPort.postMessage({ error: { message: String((error && error.message) || error), code: error && error.code } });
  } finally {
    if (db) db.close();
  }
})();
`;

/**
 * Runs the purge on a worker thread with its own connection, so the host's event loop keeps
 * turning for the seconds a large purge takes; resolves with what it did.
 */
export async function purgeOnWorker(filename: string, busyTimeoutMs: number, pragmas: string[], { remove, countExpired, sweep }: Parameters<LongPurge>[0]): Promise<PurgeAnswer> {
  const statement = ({ sql, parameters }: CompiledQuery) => ({ sql, parameters });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: SQLITE_DRIVER_URL, filename, busyTimeoutMs, pragmas, remove: statement(remove), countExpired: statement(countExpired), sweep: statement(sweep), indexes: HISTORY_INDEXES, share: REBUILD_INDEXES_SHARE },
  });
  try {
    const answer = (await Promise.race([
      new Promise((resolve) => worker.once('message', resolve)),
      new Promise((_, reject) => worker.once('error', reject)),
      new Promise((_, reject) => worker.once('exit', (code) => reject(new Error(`The purge worker exited (code ${code}) before answering.`)))),
    ])) as PurgeAnswer | { error: { message: string; code?: string } };
    if ('error' in answer) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
    return answer;
  } finally {
    await worker.terminate();
  }
}

/**
 * The retention purge of a SQLite file, on a worker thread ({@link purgeOnWorker}). A purge
 * deleting at least half of the rows ({@link REBUILD_INDEXES_SHARE}) drops the history
 * indexes and builds them again after the DELETE, in the same transaction. It holds the
 * file's in-process lock meanwhile: this process's stores wait for it asynchronously, as for
 * any other transaction; other processes wait on SQLite's own lock.
 */
export function offThreadPurge(filename: string, busyTimeoutMs: number, pragmas: string[], lock: AsyncLock): LongPurge {
  return async (purge) => {
    const release = await lock.acquire();
    try {
      return (await purgeOnWorker(filename, busyTimeoutMs, pragmas, purge)).changes;
    } finally {
      release();
    }
  };
}
