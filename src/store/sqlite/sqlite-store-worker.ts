import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { DateTime } from 'luxon';
import type { Clock } from '../../clock/clock.js';
import { isMailwrightError } from '../../errors/mailwright-error.js';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { StoreCall, StoreReply } from './worker-store-protocol.js';

// The store thread of `createSqliteStore({ thread: 'worker' })`: one SQLite store, called by messages.
const callNow = new AsyncLocalStorage<number>();
const clock: Clock = {
  // Each call carries the caller's clock reading, so timestamps follow the caller's (injected) clock.
  now: () => DateTime.fromMillis(callNow.getStore() ?? Date.now(), { zone: 'utc' }),
  sleep: () => Promise.reject(new Error('The store thread never sleeps')),
};
const store = createSqliteStore({ ...(workerData as Omit<SqliteStoreOptions, 'clock' | 'thread'>), clock });
const port = parentPort!;

port.on('message', (call: StoreCall) => {
  void callNow.run(call.nowMs, async () => {
    let reply: StoreReply;
    try {
      const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
      reply = { id: call.id, result: await method.apply(store, call.args) };
    } catch (error) {
      reply = {
        id: call.id,
        error: isMailwrightError(error)
          ? { mailwright: true, code: error.code, message: error.message, permanent: error.permanent, fix: error.fix, details: error.details, failure: error.failure }
          : { mailwright: false, message: error instanceof Error ? error.message : String(error) },
      };
    }
    port.postMessage(reply);
  });
});
