import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { connectionPragmas } from '../../src/store/sqlite/connection-pragmas.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { AsyncLock } from '../../src/store/sqlite/process-file-lock.js';
import { CHECKPOINT_EVERY_USES, RESTART_WAL_FRAMES, walCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';
import { newRecord } from './support/email-fixtures.js';

const size = async (file: string): Promise<number> => (await stat(file).catch(() => ({ size: 0 }))).size;
const payload = 'x'.repeat(4_000);

describe('SQLite WAL checkpoints on a worker thread', () => {
  let dir: string;
  let counter = 0;
  const freshFile = (): string => join(dir, `wal-${(counter += 1)}.db`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-wal-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the store\'s commits never checkpoint on the calling thread; close() leaves everything in the database file', async () => {
    const file = freshFile();
    const store = createSqliteStore({ filename: file });
    await store.migrate();
    const before = await size(file);
    // About 1,500 pages of 8 KiB: with SQLite's automatic checkpoint (1,000 pages) this commit would copy them into the file.
    await store.insertEmails(Array.from({ length: 3_000 }, () => ({ ...newRecord(), payload })));
    expect(await size(file)).toBe(before);
    expect(await size(`${file}-wal`)).toBeGreaterThan(10_000_000);
    await store.close();
    expect(await size(file)).toBeGreaterThan(10_000_000);
    expect(await size(`${file}-wal`)).toBe(0); // the last connection checkpointed and removed it
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('select count(*) from emails').pluck().get()).toBe(3_000);
    raw.close();
  });

  it('under writes awaited one by one in a loop that never lets the event loop turn, the WAL still starts over instead of growing with every write', async () => {
    const file = freshFile();
    const store = createSqliteStore({ filename: file });
    await store.migrate();
    // Each insert is its own commit of a few 8 KiB pages: about 150 MB of WAL in all, were it never started over.
    for (let i = 0; i < 3_000; i += 1) {
      await store.insertEmail({ ...newRecord(), payload });
    }
    // The WAL file keeps its largest size (SQLite writes it over from the start): a few times the restart threshold at most.
    const largest = await size(`${file}-wal`);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(RESTART_WAL_FRAMES * 8192 * 4);
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('select count(*) from emails').pluck().get()).toBe(3_000);
    raw.close();
  });

  it.each([
    { label: "checkpoints: 'inline'", options: { checkpoints: 'inline' as const } },
    { label: "thread: 'worker' (whose thread pays for its own checkpoints)", options: { thread: 'worker' as const } },
  ])('with $label, the commit that grows the WAL past 1,000 pages checkpoints it at once', async ({ options }) => {
    const file = freshFile();
    const store = createSqliteStore({ filename: file, ...options });
    await store.migrate();
    const before = await size(file);
    await store.insertEmails(Array.from({ length: 3_000 }, () => ({ ...newRecord(), payload })));
    expect(await size(file)).toBeGreaterThan(before + 10_000_000);
    await store.close();
  });

  it('refuses a checkpoints setting it does not know, saying which', () => {
    expect(() => createSqliteStore({ filename: freshFile(), checkpoints: 'never' as 'inline' })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_SETTINGS, message: expect.stringContaining(`checkpoints must be 'thread' or 'inline'; got "never"`) }),
    );
  });

  /** A connection to a fresh file with the store's pragmas, and a WAL of about 1,500 pages it has not checkpointed. */
  const writerWithLongWal = (): { file: string; writer: Database.Database; insert: Database.Statement } => {
    const file = freshFile();
    const writer = new Database(file);
    for (const pragma of connectionPragmas(5_000, file)) writer.pragma(pragma);
    writer.exec('create table t (v text)');
    const insert = writer.prepare('insert into t (v) values (?)');
    writer.transaction(() => {
      for (let i = 0; i < 3_000; i += 1) insert.run(payload);
    })();
    return { file, writer, insert };
  };

  it('copies the WAL into the database file on its own thread, every CHECKPOINT_EVERY_USES uses, while the writer goes on', async () => {
    const { file, writer, insert } = writerWithLongWal();
    const before = await size(file);
    let unavailableCalls = 0;
    const unavailable = (): void => {
      unavailableCalls += 1;
    };
    const checkpointer = walCheckpointer(file, 5_000, connectionPragmas(5_000, file), new AsyncLock(), unavailable);
    try {
      for (let i = 1; i < CHECKPOINT_EVERY_USES; i += 1) checkpointer.afterUse();
      await checkpointer.idle();
      expect(await size(file)).toBe(before); // not yet
      checkpointer.afterUse();
      insert.run('written while the checkpoint runs');
      await checkpointer.idle();
      expect(await size(file)).toBeGreaterThan(before + 10_000_000);
      expect(unavailableCalls).toBe(0);
    } finally {
      await checkpointer.close();
      writer.close();
    }
  });

  it('after a checkpoint of a WAL over RESTART_WAL_FRAMES pages, checkpoints once more under the store lock, after which the next write starts the WAL over', async () => {
    const { file, writer, insert } = writerWithLongWal();
    const walFrames = (): number => (writer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log ?? -1;
    const lock = new AsyncLock();
    const checkpointer = walCheckpointer(file, 5_000, connectionPragmas(5_000, file), lock, () => undefined);
    try {
      const release = await lock.acquire(); // a use of the store in progress
      for (let i = 0; i < CHECKPOINT_EVERY_USES; i += 1) checkpointer.afterUse();
      let idle = false;
      const idled = checkpointer.idle().then(() => (idle = true));
      await new Promise((done) => setTimeout(done, 500)); // the first, unlocked pass ends meanwhile
      expect(idle).toBe(false); // the second pass waits for the lock
      release();
      await idled;
      insert.run('the first write after the checkpoint');
      expect(walFrames()).toBeLessThan(10);
    } finally {
      await checkpointer.close();
      writer.close();
    }
  });

  it('when the checkpoint thread cannot run, says so once, so the connection goes back to automatic checkpoints', async () => {
    let unavailableCalls = 0;
    const unavailable = (): void => {
      unavailableCalls += 1;
    };
    const checkpointer = walCheckpointer(join(dir, 'no-such-dir', 'x.db'), 100, [], new AsyncLock(), unavailable);
    for (let i = 0; i < CHECKPOINT_EVERY_USES * 3; i += 1) {
      checkpointer.afterUse();
      await checkpointer.idle();
    }
    await checkpointer.close();
    expect(unavailableCalls).toBe(1);
  });
});
