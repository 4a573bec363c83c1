import { Worker } from 'node:worker_threads';
import type { Clock } from '../../clock/clock.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { Store } from '../store.js';
import type { StoreCall, StoreCallError, StoreMethod, StoreReply } from './worker-store-protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const revive = (error: StoreCallError): Error =>
  error.mailwright
    ? new MailwrightError(error.code, error.message, {
        permanent: error.permanent,
        ...(error.fix !== undefined ? { fix: error.fix } : {}),
        details: error.details,
        ...(error.failure !== undefined ? { failure: error.failure } : {}),
      })
    : new Error(error.message);

/**
 * The process's Node options for a worker started from a file: all of them but
 * `--input-type`, which a process started with `node -e` or `--input-type=module`
 * has and which Node refuses for a file.
 */
export function fileWorkerExecArgv(execArgv: readonly string[]): string[] {
  return execArgv.filter((arg, i) => !arg.startsWith('--input-type') && execArgv[i - 1] !== '--input-type');
}

/**
 * Starts the store thread: the compiled module next to this file or, when this
 * file runs as TypeScript source (tests, tsx), the source through tsx's loader.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./sqlite-store-worker.js', import.meta.url), { workerData, execArgv: fileWorkerExecArgv(process.execArgv) });
  }
  const source = new URL('./sqlite-store-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * A {@link Store} whose SQLite connection lives on a worker thread: every call
 * is a message, answered by the same store code running there. SQLite's CPU
 * time (statements, commits, busy waits) moves to another core, and the
 * JavaScript thread only sends and receives plain objects.
 */
export function workerSqliteStore(options: { filename: string; busyTimeoutMs: number; checkpoints: 'thread' | 'inline'; clock: Clock }): Store {
  const worker = startWorker({ filename: options.filename, busyTimeoutMs: options.busyTimeoutMs, checkpoints: options.checkpoints });
  worker.unref();
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let exited: Error | undefined;

  const failAll = (error: Error): void => {
    exited = error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: StoreReply) => {
    const call = pending.get(reply.id);
    if (call === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error !== undefined) call.reject(revive(reply.error));
    else call.resolve(reply.result);
  });
  worker.on('error', (error) => failAll(new MailwrightError(ErrorCodes.STORE_FAILED, `The SQLite store thread failed: ${error.message}`, { permanent: false, cause: error })));
  worker.on('exit', () => failAll(new MailwrightError(ErrorCodes.STORE_FAILED, 'The SQLite store thread has stopped.', { fix: 'Do not use a store after close().' })));

  const call = <T>(method: StoreMethod, args: unknown[]): Promise<T> => {
    if (exited !== undefined) return Promise.reject(exited);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    const message: StoreCall = { id, method, args, nowMs: options.clock.now().toMillis() };
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(message);
    });
  };

  return {
    dialect: 'sqlite',
    migrate: () => call('migrate', []),
    close: async () => {
      if (exited !== undefined) return;
      await call('close', []);
      await worker.terminate();
    },
    getSetting: (key) => call('getSetting', [key]),
    putSetting: (key, value) => call('putSetting', [key, value]),
    insertEmail: (record) => call('insertEmail', [record]),
    insertEmails: (records) => call('insertEmails', [records]),
    updateEmail: (id, patch) => call('updateEmail', [id, patch]),
    getEmail: (id) => call('getEmail', [id]),
    getPayload: (id) => call('getPayload', [id]),
    getPayloads: (ids) => call('getPayloads', [ids]),
    findByIdempotencyKey: (key) => call('findByIdempotencyKey', [key]),
    listEmails: (query) => call('listEmails', [query]),
    countEmails: (query) => call('countEmails', [query]),
    keptMessageIds: (ids) => call('keptMessageIds', [ids]),
    appendAttempt: (attempt) => call('appendAttempt', [attempt]),
    finishAttempt: (emailId, patch, attempt) => call('finishAttempt', [emailId, patch, attempt]),
    finishAttempts: (items) => call('finishAttempts', [items]),
    listAttempts: (emailId) => call('listAttempts', [emailId]),
    claimDue: (claim) => call('claimDue', [claim]),
    countDue: (now) => call('countDue', [now]),
    changeEmails: (attempts, change) => call('changeEmails', [attempts, change]),
    releaseLeases: (ids, owner) => call('releaseLeases', [ids, owner]),
    extendLeases: (extend) => call('extendLeases', [extend]),
    reserveSends: (reserve) => call('reserveSends', [reserve]),
    countSentSince: (providerId, sinceMs) => call('countSentSince', [providerId, sinceMs]),
    listSentTimesSince: (providerId, sinceMs) => call('listSentTimesSince', [providerId, sinceMs]),
    purgeFinishedBefore: (cutoff) => call('purgeFinishedBefore', [cutoff]),
  };
}
