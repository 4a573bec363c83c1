import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LongWrite } from '../shared/purge-finished.js';
import type { AsyncLock } from './process-file-lock.js';

// The worker opens its own connection, runs the statement and exits. It is evaluated from a
// string and only uses dynamic import(), so it runs the same whether Node evaluates it as
// CommonJS or as a module (the parent's --input-type is inherited), from the compiled
// package and under Jest.
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  let db;
  try {
    const { default: Database } = await import(workerData.driver);
    db = new Database(workerData.filename, { timeout: workerData.busyTimeoutMs });
    for (const pragma of workerData.pragmas) db.pragma(pragma);
    const { changes } = db.prepare(workerData.sql).run(...workerData.parameters);
    parentPort.postMessage({ changes });
  } catch (error) {
    parentPort.postMessage({ error: { message: String((error && error.message) || error), code: error && error.code } });
  } finally {
    if (db) db.close();
  }
})();
`;

/** better-sqlite3's entry point, as a URL the worker can import(). */
const driver = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;

/**
 * A long write (the retention purge) on a worker thread with its own
 * connection, so the host's event loop keeps turning for the seconds a large
 * purge takes. It holds the file's in-process lock meanwhile: this process's
 * stores wait for it asynchronously, as for any other transaction; other
 * processes wait on SQLite's own lock.
 */
export function offThreadWrite(filename: string, busyTimeoutMs: number, pragmas: string[], lock: AsyncLock): LongWrite {
  return async (query) => {
    const release = await lock.acquire();
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver, filename, busyTimeoutMs, pragmas, sql: query.sql, parameters: query.parameters },
      });
      const [answer] = (await Promise.race([
        new Promise((resolve) => worker.once('message', (message) => resolve([message]))),
        new Promise((_, reject) => worker.once('error', reject)),
        new Promise((_, reject) => worker.once('exit', (code) => reject(new Error(`The purge worker exited (code ${code}) before answering.`)))),
      ])) as [{ changes?: number; error?: { message: string; code?: string } }];
      await worker.terminate();
      if (answer.error !== undefined) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      return answer.changes ?? 0;
    } finally {
      release();
    }
  };
}
