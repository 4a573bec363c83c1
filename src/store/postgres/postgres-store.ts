import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type { Pool } from 'pg';
import { systemClock, type Clock } from '../../clock/clock.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { KyselyStore } from '../shared/kysely-store.js';
import { postgresCopyInsert } from './postgres-copy-insert.js';
import type { StoreDatabase } from '../shared/store-database.js';
import { migrateToLatest } from '../shared/store-migrations.js';
import type { Store } from '../store.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';

/** Options of {@link createPostgresStore}: a connection string or your own pool. */
export interface PostgresStoreOptions {
  /**
   * e.g. `postgres://mailwright@db.internal:5432/erp`. Used when no `pool` is given; then
   * undefined (an unset `process.env.DATABASE_URL`) is refused with MW_INVALID_SETTINGS.
   */
  connectionString?: string | undefined;
  /** A node-postgres pool you own; the store uses it and does not end it on close. */
  pool?: Pool;
  /**
   * Schema holding the tables (created by `migrate()` when missing).
   * @default the connection's search_path (normally `public`)
   */
  schema?: string;
  /** Pool size when the store creates the pool from `connectionString`. @default 10 */
  maxConnections?: number;
  /** Source of createdAt/updatedAt when a record does not carry them. @default the system clock */
  clock?: Clock;
}

/** BIGINT (int8, oid 20) as a JS number: epoch-ms times and counts fit easily in 2^53. */
function parseBigint(value: string): number {
  return Number(value);
}

/**
 * A pool of ours: BIGINT parsed as numbers for this pool only (not pg's global
 * type table). node-postgres is loaded here, on the store's first query, so an
 * application on SQLite does not carry it (about 15 MB).
 */
async function createPool(connectionString: string, max: number): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 && format !== 'binary'
          ? parseBigint
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the host; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/** Lets Kysely use a caller's pool without ending it when the store closes. */
function borrowedPool(pool: Pool): PostgresPool {
  return {
    connect: () => pool.connect(),
    end: () => Promise.resolve(),
  };
}

const POSTGRES_OPTIONS = optionNames<PostgresStoreOptions>({ connectionString: true, pool: true, schema: true, maxConnections: true, clock: true });

/**
 * The PostgreSQL store (node-postgres through Kysely), for many workers on
 * many machines: `claimDue` locks candidates with `FOR UPDATE SKIP LOCKED`
 * so parallel workers never take the same email, leases let another worker
 * take over a crashed worker's email, and the throttle window is counted from
 * the shared `emails` table. Times are epoch-ms BIGINT columns, returned as numbers.
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  refuseUnknownOptions(options, POSTGRES_OPTIONS, 'createPostgresStore options');
  if (options.pool === undefined && !options.connectionString) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, 'createPostgresStore() needs a connectionString or a pool.', {
      fix: 'Pass { connectionString: "postgres://user@host:5432/db" } or { pool: new pg.Pool(...) }.',
      details: { field: 'connectionString' },
    });
  }
  const maxConnections = options.maxConnections ?? 10;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `maxConnections must be a whole number >= 1; got ${String(maxConnections)}.`, {
      fix: 'Pass e.g. { maxConnections: 10 }, or leave it out for the default.',
      details: { field: 'maxConnections' },
    });
  }
  const { pool: ownPool, connectionString = '' } = options;
  // Created on first use, and shared by Kysely and the bulk insert's COPY.
  let created: Promise<Pool> | undefined;
  const pool = (): Promise<Pool> => (created ??= ownPool !== undefined ? Promise.resolve(ownPool) : createPool(connectionString, maxConnections));
  const base = new Kysely<StoreDatabase>({
    dialect: new PostgresDialect({ pool: ownPool !== undefined ? borrowedPool(ownPool) : pool }),
  });
  const db = options.schema === undefined ? base : base.withSchema(options.schema);
  return new KyselyStore({
    dialect: 'postgres',
    db,
    clock: options.clock ?? systemClock,
    bulkInsert: postgresCopyInsert(pool, options.schema),
    migrate: () => migrateToLatest(db as Kysely<unknown>, options.schema),
    close: () => base.destroy(),
  });
}
