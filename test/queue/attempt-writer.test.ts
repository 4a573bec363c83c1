import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { AttemptWriter } from '../../src/queue/attempt-writer.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AttemptCompletion, Store } from '../../src/store/store.js';
import { attemptOf, newRecord } from '../store/support/email-fixtures.js';

describe('AttemptWriter (group commit on a real SQLite file)', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-writer-'));
    store = createSqliteStore({ filename: join(dir, 'w.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes attempts that finish in the same turn in one transaction; each caller resolves once stored', async () => {
    const records = Array.from({ length: 5 }, () => newRecord({ status: 'sending' }));
    for (const r of records) await store.insertEmail(r);
    const batches: number[] = [];
    const counting: Pick<Store, 'finishAttempts'> = {
      finishAttempts: async (items: readonly AttemptCompletion[]) => {
        batches.push(items.length);
        return store.finishAttempts(items);
      },
    };
    const writer = new AttemptWriter(counting);
    const ghost = randomUUID();
    const results = await Promise.allSettled([
      ...records.map((r) => writer.finish({ emailId: r.id, patch: { status: 'sent', attempts: 1 }, attempt: attemptOf(r.id, { outcome: 'sent' }) })),
      writer.finish({ emailId: ghost, patch: { status: 'sent' }, attempt: attemptOf(ghost) }),
    ]);
    expect(batches).toEqual([6]);
    expect(results.slice(0, 5).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[5]).toMatchObject({ status: 'rejected', reason: { code: ErrorCodes.EMAIL_NOT_FOUND } });
    for (const r of records) {
      expect((await store.getEmail(r.id))?.status).toBe('sent');
      expect(await store.listAttempts(r.id)).toHaveLength(1);
    }
    // A later finish starts a new batch.
    await writer.finish({ emailId: records[0]!.id, patch: { attempts: 2 }, attempt: attemptOf(records[0]!.id, { attempt: 2 }) });
    expect(batches).toEqual([6, 1]);
  });

  it('with a group size, attempts wait for the group to fill or for flush(), then share one transaction', async () => {
    const records = Array.from({ length: 5 }, () => newRecord({ status: 'sending' }));
    for (const r of records) await store.insertEmail(r);
    const batches: number[] = [];
    const writer = new AttemptWriter({ finishAttempts: (items) => (batches.push(items.length), store.finishAttempts(items)) }, 3);
    const finish = (r: (typeof records)[number]) => writer.finish({ emailId: r.id, patch: { status: 'sent', attempts: 1 }, attempt: attemptOf(r.id, { outcome: 'sent' }) });
    const turns = async (n: number) => {
      for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
    };

    const firstTwo = [finish(records[0]!), finish(records[1]!)];
    await turns(5);
    expect(batches).toEqual([]); // two of three: nothing written yet
    expect((await store.getEmail(records[0]!.id))?.status).toBe('sending');
    await Promise.all([...firstTwo, finish(records[2]!)]);
    expect(batches).toEqual([3]);

    const lastTwo = [finish(records[3]!), finish(records[4]!)];
    await turns(5);
    expect(batches).toEqual([3]);
    writer.flush();
    await Promise.all(lastTwo);
    expect(batches).toEqual([3, 2]);
    for (const r of records) expect((await store.getEmail(r.id))?.status).toBe('sent');
  });
});
