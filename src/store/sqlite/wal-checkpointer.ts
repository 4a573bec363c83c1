import { Worker } from 'node:worker_threads';
import { SQLITE_DRIVER_URL } from './sqlite-driver-url.js';

/** Store uses (connection releases) between two checkpoints. */
export const CHECKPOINT_EVERY_USES = 50;

// The checkpoint thread: its own connection, one PASSIVE checkpoint per message. A PASSIVE
// checkpoint takes no write lock: it copies the WAL frames every reader is done with into the
// database file and syncs it, while the store goes on writing. Evaluated from a string, like the
// purge worker, so it runs the same under either module type, compiled or under Jest.
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const { default: Database } = await import(workerData.driver);
  const db = new Database(workerData.filename, { timeout: workerData.busyTimeoutMs });
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  parentPort.on('message', (message) => {
    let answer;
    try {
      answer = db.pragma('wal_checkpoint(PASSIVE)')[0];
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
 */
export function walCheckpointer(filename: string, busyTimeoutMs: number, pragmas: readonly string[], onUnavailable: () => void): WalCheckpointer {
  let worker: Worker | undefined;
  let failed = false;
  let uses = 0;
  let running: Promise<void> | undefined;

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
  const checkpoint = (message: 'checkpoint' | 'close'): Promise<void> => {
    const thread = (worker ??= start());
    thread.ref();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        thread.off('message', done);
        thread.off('exit', done);
        thread.unref();
        resolve();
      };
      thread.on('message', done);
      thread.on('exit', done);
      thread.postMessage(message);
    });
  };

  return {
    afterUse() {
      uses += 1;
      if (failed || running !== undefined || uses < CHECKPOINT_EVERY_USES) return;
      uses = 0;
      running = checkpoint('checkpoint').finally(() => (running = undefined));
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
