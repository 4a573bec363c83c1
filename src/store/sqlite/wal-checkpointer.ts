import { Worker } from 'node:worker_threads';
import { AUTO_CHECKPOINT_PAGES } from './connection-pragmas.js';
import type { AsyncLock } from './process-file-lock.js';
import { SQLITE_DRIVER_URL } from './sqlite-driver-url.js';

/** Store uses (connection releases) between two checkpoints. */
export const CHECKPOINT_EVERY_USES = 50;

/**
 * WAL frames (pages) above which a checkpoint is followed by a second one under
 * the store's lock, so that the WAL starts over: SQLite's own automatic
 * checkpoint threshold.
 */
export const RESTART_WAL_FRAMES = AUTO_CHECKPOINT_PAGES;

/**
 * Store uses after which a checkpoint that has not answered yet makes the
 * store's next use wait for it (see {@link walCheckpointer}).
 */
export const MAX_USES_BEHIND = 4 * CHECKPOINT_EVERY_USES;

/** What `PRAGMA wal_checkpoint` answers: WAL frames, and how many of them are in the database file now. */
interface CheckpointResult {
  log: number;
  checkpointed: number;
}

// The checkpoint thread: its own connection, one checkpoint per message. A PASSIVE checkpoint
// takes no write lock: it copies the WAL frames every reader is done with into the database file
// and syncs it, while the store goes on writing. A FULL one first waits (busy_timeout) for the
// writer of the moment, then keeps writers out while it copies every frame. Evaluated from a
// string, like the purge worker, so it runs the same under either module type, compiled or under Jest.
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const { default: Database } = await import(workerData.driver);
  const db = new Database(workerData.filename, { timeout: workerData.busyTimeoutMs });
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  parentPort.on('message', (message) => {
    let answer;
    try {
      answer = db.pragma(message === 'full' ? 'wal_checkpoint(FULL)' : 'wal_checkpoint(PASSIVE)')[0];
    } catch (error) {
      answer = { error: String((error && error.message) || error) };
    }
    if (message === 'close') db.close();
    parentPort.postMessage(answer);
  });
})();
`;

/** Checkpoints of one store's SQLite file, run on a worker thread. */
export interface WalCheckpointer {
  /** Counts one use of the store's connection; every {@link CHECKPOINT_EVERY_USES} uses, starts a checkpoint unless one is running. */
  afterUse(): void;
  /** Resolves when no checkpoint is running. */
  idle(): Promise<void>;
  /** A last checkpoint, then the thread ends. */
  close(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the JavaScript thread. The store's own
 * connection has `wal_autocheckpoint = 0`: otherwise the commit that grows the
 * WAL past 1,000 pages copies them into the database and fsyncs it, on the
 * thread that sends email (measured: two thirds of the distributor's commit
 * time, in a few commits of 20–30 ms). If the thread cannot run,
 * `onUnavailable` puts the connection back on SQLite's automatic checkpoints.
 *
 * A writer starts the WAL over only when a checkpoint has copied every frame
 * in it; a checkpoint racing a busy writer never has (the writer appended
 * meanwhile), so under steady load the WAL would grow without bound (measured:
 * 110 MB per 2,000 emails distributed). Once the WAL holds more than
 * {@link RESTART_WAL_FRAMES}, the checkpoint is therefore followed by a second,
 * short one (the frames written meanwhile) under `lock`, the lock every store
 * of this process takes for each use of the file, so no write of this process
 * comes in between; it is a FULL checkpoint, which also keeps other processes'
 * writers out while it runs. The next write then starts the WAL over. Waiting
 * for the lock is asynchronous, so the JavaScript thread goes on sending meanwhile.
 *
 * The thread's answer is an event, which a caller awaiting store calls in a
 * loop never lets the event loop deliver (each call settles in microtasks):
 * no checkpoint would end, and the WAL would grow for as long as the loop
 * runs. After {@link MAX_USES_BEHIND} uses without an answer, the next use
 * therefore waits for it, again through `lock`.
 */
export function walCheckpointer(filename: string, busyTimeoutMs: number, pragmas: readonly string[], lock: AsyncLock, onUnavailable: () => void): WalCheckpointer {
  let worker: Worker | undefined;
  let failed = false;
  let uses = 0;
  let running: Promise<void> | undefined;
  /** The running checkpoint's first, unlocked pass. */
  let firstPass: Promise<CheckpointResult | undefined> | undefined;
  /** The pass the store's uses last had to wait for (held while it runs). */
  let heldFor: Promise<unknown> | undefined;

  const fallBack = (): void => {
    failed = true;
    worker = undefined;
    onUnavailable();
  };
  const start = (): Worker => {
    const created = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: SQLITE_DRIVER_URL, filename, busyTimeoutMs, pragmas } });
    created.on('error', fallBack);
    created.unref();
    return created;
  };
  /** Runs one checkpoint on the thread (PASSIVE unless 'full'); undefined when it failed or the thread ended. */
  const checkpoint = (message: 'passive' | 'full' | 'close'): Promise<CheckpointResult | undefined> => {
    const thread = (worker ??= start());
    thread.ref();
    return new Promise((resolve) => {
      const done = (answer?: unknown): void => {
        thread.off('message', done);
        thread.off('exit', done);
        thread.unref();
        resolve(typeof answer === 'object' && answer !== null && 'log' in answer ? (answer as CheckpointResult) : undefined);
      };
      thread.on('message', done);
      thread.on('exit', done);
      thread.postMessage(message);
    });
  };
  /**
   * A checkpoint; if the WAL has grown long, or the store's uses had to wait for
   * the answer (they went on writing meanwhile, so its count is stale), a second
   * one under the store's lock, so the WAL starts over.
   */
  const checkpointAndRestart = async (): Promise<void> => {
    const pass = checkpoint('passive');
    firstPass = pass;
    const first = await pass;
    firstPass = undefined;
    if (first === undefined || (first.log < RESTART_WAL_FRAMES && heldFor !== pass)) return;
    const release = await lock.acquire();
    try {
      await checkpoint('full');
    } finally {
      release();
    }
  };

  /** Holds the store's lock until the pass has answered, so the store's next use waits (asynchronously) for it. */
  const holdUntilAnswered = (pass: Promise<unknown>): void => {
    heldFor = pass;
    void lock.acquire().then((release) => pass.finally(release));
  };

  return {
    afterUse() {
      uses += 1;
      if (failed) return;
      if (running === undefined) {
        if (uses < CHECKPOINT_EVERY_USES) return;
        uses = 0;
        running = checkpointAndRestart().finally(() => (running = undefined));
      } else if (uses >= MAX_USES_BEHIND && firstPass !== undefined && heldFor !== firstPass) {
        holdUntilAnswered(firstPass);
      }
    },
    idle: async () => {
      await running;
    },
    close: async () => {
      await running;
      if (worker === undefined) return;
      await checkpoint('close');
      await worker.terminate();
      worker = undefined;
    },
  };
}
