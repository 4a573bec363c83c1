/** `':memory:'` (or an empty name): a private database of one connection, with no file. */
export const isInMemoryDatabase = (filename: string): boolean => filename === ':memory:' || filename === '';

/** SQLite's automatic checkpoint threshold, in WAL pages, where the connection checkpoints its own commits. */
export const AUTO_CHECKPOINT_PAGES = 1000;

/** The pragma that turns SQLite's automatic checkpoints on. */
export const AUTO_CHECKPOINT_PRAGMA = `wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`;

/**
 * The pragmas every connection to a mailwright SQLite file gets, in order:
 * the busy wait other processes' write locks need, 8 KiB pages for new files
 * (large purges are cheaper), WAL so readers work while one process writes,
 * NORMAL sync (durable at each checkpoint; WAL commits need no fsync), a
 * 64 MiB page cache, a WAL file truncated back to 64 MiB after checkpoints,
 * and, unless `autoCheckpoint`, no automatic checkpoints: a worker thread runs
 * them (`walCheckpointer`).
 */
export function connectionPragmas(busyTimeoutMs: number, filename: string, { autoCheckpoint = false }: { autoCheckpoint?: boolean } = {}): string[] {
  return [
    `busy_timeout = ${busyTimeoutMs}`,
    'page_size = 8192',
    ...(isInMemoryDatabase(filename) ? [] : ['journal_mode = WAL', autoCheckpoint ? AUTO_CHECKPOINT_PRAGMA : 'wal_autocheckpoint = 0']),
    'synchronous = NORMAL',
    'cache_size = -65536',
    'journal_size_limit = 67108864',
  ];
}
