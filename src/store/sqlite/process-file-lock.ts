import { resolve } from 'node:path';
import { isInMemoryDatabase } from './connection-pragmas.js';

/** A first-come, first-served async lock. */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; call the returned function to release it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return acquired;
  }
}

const locks = new Map<string, AsyncLock>();

/**
 * The lock shared by every store of this process on one database file.
 *
 * better-sqlite3 is synchronous: if store A holds a write transaction across
 * an `await` and store B (same process, same file) starts a write, B's busy
 * wait blocks the one JavaScript thread, so A can never commit — a deadlock
 * until busy_timeout. Taking this lock around every connection use makes
 * same-process stores wait their turn asynchronously; other processes are
 * still kept apart by SQLite's own file lock. `':memory:'` databases are
 * private to their connection, so each gets its own lock.
 */
export function processFileLock(filename: string): AsyncLock {
  if (isInMemoryDatabase(filename)) return new AsyncLock();
  const key = resolve(filename);
  let lock = locks.get(key);
  if (lock === undefined) {
    lock = new AsyncLock();
    locks.set(key, lock);
  }
  return lock;
}
