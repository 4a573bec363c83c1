import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import type { AsyncLock } from './process-file-lock.js';

/** Kysely's better-sqlite3 driver, with IMMEDIATE transactions and a lock shared per file in this process. */
class ImmediateSqliteDriver extends SqliteDriver {
  private release: (() => void) | undefined;

  constructor(
    config: SqliteDialectConfig,
    private readonly fileLock: AsyncLock,
    private readonly afterUse: () => void,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.fileLock.acquire();
    try {
      const connection = await super.acquireConnection();
      this.release = release;
      return connection;
    } catch (error) {
      release();
      throw error;
    }
  }

  override async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    await super.releaseConnection();
    release?.();
    this.afterUse();
  }

  /**
   * `BEGIN IMMEDIATE` takes the database write lock before the first
   * statement (waiting up to busy_timeout for another process). A plain
   * (deferred) `BEGIN` would read first and fail with SQLITE_BUSY_SNAPSHOT
   * when another process wrote in between; with IMMEDIATE, a claim's SELECT
   * and UPDATE are one atomic step across processes.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely's {@link SqliteDialect} whose transactions are write transactions
 * from the start, and whose connection use is serialized with every other
 * store of this process on the same file (see `processFileLock`).
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly driverConfig: SqliteDialectConfig,
    private readonly fileLock: AsyncLock,
    /** Called after each use of the connection (the WAL checkpointer counts them). @default nothing */
    private readonly afterUse: () => void = () => undefined,
  ) {
    super(driverConfig);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.driverConfig, this.fileLock, this.afterUse);
  }
}
