import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { systemClock, type Clock } from '../../clock/clock.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { KyselyStore } from '../shared/kysely-store.js';
import { SQLITE_LOWER_FUNCTION } from '../shared/where-filtered.js';
import type { StoreDatabase } from '../shared/store-database.js';
import { migrateToLatest } from '../shared/store-migrations.js';
import type { Store } from '../store.js';
import { AUTO_CHECKPOINT_PRAGMA, connectionPragmas, isInMemoryDatabase } from './connection-pragmas.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { offThreadPurge } from './off-thread-purge.js';
import { processFileLock } from './process-file-lock.js';
import { withStatementCache } from './statement-cache.js';
import { walCheckpointer } from './wal-checkpointer.js';
import { sqliteBulkInsert } from './sqlite-bulk-insert.js';
import { sqliteFinishAttempts } from './sqlite-finish-attempts.js';
import { workerSqliteStore } from './worker-sqlite-store.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import { ensurePrivateFile, ensurePrivateFolder, restrictFile } from '../../files/private-files.js';

/** Default database file of the embedded store. */
export const DEFAULT_SQLITE_FILENAME = './.mailwright/mailwright.db';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * Database file; its parent directory is created. The folder must belong to the user running
   * the application and be writable by no one else (MW_UNSAFE_FOLDER); folders created are 0700,
   * the database and its -wal and -shm files 0600. `':memory:'` for a
   * private in-memory database (gone on close; not shared between stores).
   * @default './.mailwright/mailwright.db'
   */
  filename?: string;
  /**
   * How long a write waits for another connection or process holding the
   * write lock before failing with MW_STORE_FAILED (transient).
   * @default 5000
   */
  busyTimeoutMs?: number;
  /** Source of createdAt/updatedAt when a record does not carry them. @default the system clock */
  clock?: Clock;
  /**
   * Where SQLite runs. `'worker'`: on a worker thread of its own, so its CPU
   * time (statements, commits, lock waits) is spent on another core and the
   * JavaScript thread stays free for sending; each call is one message.
   * `'caller'`: on the calling thread, synchronously (better-sqlite3).
   * @default 'caller'
   */
  thread?: 'caller' | 'worker';
  /**
   * Where WAL checkpoints run (copying committed pages into the database file).
   * `'thread'`: on a worker thread of their own, every 50 store uses and at
   * `close()`, so no commit on the store's thread pays for one (the thread
   * costs 6–8 MB). `'inline'`: SQLite's automatic checkpoints, inside the
   * commit that grows the WAL past 1,000 pages (20–40 ms on that thread).
   * @default 'thread', or 'inline' with `thread: 'worker'` (the store's own thread pays then)
   */
  checkpoints?: 'thread' | 'inline';
}

/**
 * Makes the database private to this user before SQLite opens it: its folder 0700 (created, or
 * refused with MW_UNSAFE_FOLDER when others may write to it), the file 0600. SQLite creates the
 * -wal and -shm files with the database file's mode; ones left by an older version are made 0600.
 */
function preparePrivateDatabase(filename: string): void {
  ensurePrivateFolder(dirname(resolve(filename)), 'the SQLite store');
  ensurePrivateFile(filename);
  for (const suffix of ['-wal', '-shm', '-journal']) restrictFile(`${filename}${suffix}`);
}

/** Opens the database file with the pragmas several processes need to share it. */
function openDatabase(filename: string, busyTimeoutMs: number, pragmas: readonly string[]): Database.Database {
  if (!isInMemoryDatabase(filename)) preparePrivateDatabase(filename);
  const db = new Database(filename, { timeout: busyTimeoutMs });
  try {
    for (const pragma of pragmas) db.pragma(pragma);
    db.function(SQLITE_LOWER_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

const SQLITE_OPTIONS = optionNames<SqliteStoreOptions>({ filename: true, busyTimeoutMs: true, clock: true, thread: true, checkpoints: true });

/**
 * The embedded store: one SQLite file (better-sqlite3 through Kysely), zero
 * setup. WAL mode lets readers work while one process writes; every write
 * transaction begins IMMEDIATE and waits up to `busyTimeoutMs`, so several
 * processes may share the file and `claimDue` never hands an email to two of
 * them. Stores of one process on the same file take turns through a shared
 * in-process lock (better-sqlite3 is synchronous, so SQLite's own busy wait
 * would block the very thread that holds the lock). The file is opened on
 * first use (`migrate()`), so opening errors surface there as MW_STORE_FAILED.
 */
export function createSqliteStore(options: SqliteStoreOptions = {}): Store {
  refuseUnknownOptions(options, SQLITE_OPTIONS, 'createSqliteStore options');
  const filename = options.filename ?? DEFAULT_SQLITE_FILENAME;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `busyTimeoutMs must be a whole number of milliseconds >= 0; got ${String(busyTimeoutMs)}.`, {
      fix: 'Pass e.g. { busyTimeoutMs: 5000 }, or leave it out for the default.',
      details: { field: 'busyTimeoutMs' },
    });
  }
  const checkpoints = options.checkpoints ?? (options.thread === 'worker' ? 'inline' : 'thread');
  if (checkpoints !== 'thread' && checkpoints !== 'inline') {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `checkpoints must be 'thread' or 'inline'; got ${JSON.stringify(checkpoints)}.`, {
      fix: "Pass { checkpoints: 'thread' } or { checkpoints: 'inline' }, or leave it out for the default.",
      details: { field: 'checkpoints' },
    });
  }
  if (options.thread === 'worker') {
    return workerSqliteStore({ filename, busyTimeoutMs, checkpoints, clock: options.clock ?? systemClock });
  }
  // A private in-memory database has no file another connection could open (no WAL, no worker).
  const onFile = !isInMemoryDatabase(filename);
  const onThread = onFile && checkpoints === 'thread';
  const pragmas = connectionPragmas(busyTimeoutMs, filename, { autoCheckpoint: !onThread });
  let database: Database.Database | undefined;
  const open = (): Database.Database => (database ??= withStatementCache(openDatabase(filename, busyTimeoutMs, pragmas)));
  const lock = processFileLock(filename);
  const checkpointer = onThread ? walCheckpointer(filename, busyTimeoutMs, pragmas, lock, () => database?.pragma(AUTO_CHECKPOINT_PRAGMA)) : undefined;
  const db = new Kysely<StoreDatabase>({
    dialect: new ImmediateSqliteDialect({ database: () => Promise.resolve(open()) }, lock, () => checkpointer?.afterUse()),
  });
  return new KyselyStore({
    dialect: 'sqlite',
    db,
    clock: options.clock ?? systemClock,
    bulkInsert: sqliteBulkInsert(db, open),
    finishAttempts: sqliteFinishAttempts(db, open),
    ...(onFile ? { longPurge: offThreadPurge(filename, busyTimeoutMs, pragmas, lock) } : {}),
    migrate: () => migrateToLatest(db as Kysely<unknown>),
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  });
}
