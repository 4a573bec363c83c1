import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { HISTORY_INDEXES } from '../../src/store/shared/store-migrations.js';
import { connectionPragmas } from '../../src/store/sqlite/connection-pragmas.js';
import { purgeOnWorker } from '../../src/store/sqlite/off-thread-purge.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { at, newRecord } from './support/email-fixtures.js';

let dir: string;
let counter = 0;
const opened: Store[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mw-sqlite-purge-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A store on a fresh, migrated file. */
async function freshStore(): Promise<{ file: string; store: Store }> {
  counter += 1;
  const file = join(dir, `purge-${counter}.db`);
  const store = createSqliteStore({ filename: file });
  opened.push(store);
  await store.migrate();
  return { file, store };
}

/** `old` finished emails created at 0 and `recent` ones at 1 day (one in five failed), from 7 senders. */
async function fill(store: Store, old: number, recent: number): Promise<void> {
  const sender = (i: number): { from: string; senderAddress: string } => ({ from: `u${i % 7}@contoso.com`, senderAddress: `u${i % 7}@contoso.com` });
  const row = (i: number, createdAt: string) => newRecord({ ...(i % 5 === 0 ? { status: 'failed' } : { status: 'sent', sentAt: createdAt }), createdAt, ...sender(i) });
  const rows = [...Array.from({ length: old }, (_, i) => row(i, at(0))), ...Array.from({ length: recent }, (_, i) => row(i, at(86_400_000)))];
  for (let start = 0; start < rows.length; start += 5_000) await store.insertEmails(rows.slice(start, start + 5_000));
}

/** How many of `n` emails made by {@link fill} failed and came from u3@contoso.com. */
const failedFromU3 = (n: number): number => Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 === 0 && i % 7 === 3).length;

/** The purge the store sends to the worker, written out: finished emails created before 1 s. */
const purge = (table = 'emails') => ({
  remove: CompiledQuery.raw(`delete from ${table} where status in ('sent', 'failed', 'blocked', 'exported') and created_at_ms < ?`, [Date.parse(at(1_000))]),
  countExpired: CompiledQuery.raw("select count(*) from emails where status in ('sent', 'failed', 'blocked', 'exported') and created_at_ms < ?", [Date.parse(at(1_000))]),
  sweep: CompiledQuery.raw('delete from email_payloads where not exists (select 1 from emails where emails.id = email_payloads.email_id)'),
});

/** Reads the file with a connection of its own. */
function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const indexDefinitions = (db: Database.Database): unknown[] => db.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'emails' order by name").all();

describe('SQLite retention purge on a worker thread', () => {
  it('drops and rebuilds the history indexes when it deletes at least half of the rows: same rows gone, same indexes, and queries use them', async () => {
    const { file, store } = await freshStore();
    await fill(store, 3_000, 1_000);
    const before = inspect(file, indexDefinitions);
    const failedOf = (sender: string) => store.listEmails({ status: 'failed', sender, limit: 1_000 });
    expect((await failedOf('u3@contoso.com')).items).toHaveLength(failedFromU3(3_000) + failedFromU3(1_000)); // prepared (and cached) before the indexes change
    const answer = await purgeOnWorker(file, 5000, connectionPragmas(5000, file), purge());
    expect(answer).toEqual({ changes: 3_000, rebuiltIndexes: expect.arrayContaining([...HISTORY_INDEXES]) as unknown });
    expect(answer.rebuiltIndexes).toHaveLength(HISTORY_INDEXES.length);
    inspect(file, (db) => {
      expect(indexDefinitions(db)).toEqual(before);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const plan = (db.prepare("explain query plan select * from emails where status = 'failed' and sender_address = 'u3@contoso.com' order by created_at_ms desc limit 5").all() as { detail: string }[])[0]?.detail;
      expect(plan).toContain('emails_sender_status_created_idx');
    });
    // The store's connection prepares its cached statements again for the new indexes.
    const failed = (await failedOf('u3@contoso.com')).items;
    expect(failed).toHaveLength(failedFromU3(1_000));
    expect(failed.every((e) => e.createdAt === at(86_400_000) && e.status === 'failed' && e.senderAddress === 'u3@contoso.com')).toBe(true);
    expect(await store.countSentSince('smtp', 0)).toBe(800);
  });

  it('deletes the payloads of the failed emails it purges (kept for history.retry), and keeps those of the others', async () => {
    const { file, store } = await freshStore();
    // Enough expired rows for the store to purge on a worker thread.
    const failedOld = Array.from({ length: 2_000 }, () => newRecord({ status: 'failed', createdAt: at(0), payload: 'old' }));
    const failedNew = newRecord({ status: 'failed', createdAt: at(86_400_000), payload: 'new' });
    const queuedOld = newRecord({ status: 'queued', createdAt: at(0), payload: 'waiting' });
    await store.insertEmails([...failedOld, failedNew, queuedOld]);
    expect(await store.purgeFinishedBefore(at(1_000))).toBe(2_000);
    const left = inspect(file, (db) => db.prepare('select email_id, payload from email_payloads order by payload').all());
    expect(left).toEqual([
      { email_id: failedNew.id, payload: 'new' },
      { email_id: queuedOld.id, payload: 'waiting' },
    ]);
  });

  it('deletes entry by entry, keeping the indexes, when it deletes less than half of the rows', async () => {
    const { file, store } = await freshStore();
    await fill(store, 2_000, 3_000);
    const answer = await purgeOnWorker(file, 5000, connectionPragmas(5000, file), purge());
    expect(answer).toEqual({ changes: 2_000, rebuiltIndexes: [] });
    expect(inspect(file, (db) => db.prepare('select count(*) from emails').pluck().get())).toBe(3_000);
  });

  it('rolls back the dropped indexes with the rows when the DELETE fails', async () => {
    const { file, store } = await freshStore();
    await fill(store, 3_000, 1_000);
    const before = inspect(file, indexDefinitions);
    await expect(purgeOnWorker(file, 5000, connectionPragmas(5000, file), purge('no_such_table'))).rejects.toThrow(/no such table/);
    inspect(file, (db) => {
      expect(indexDefinitions(db)).toEqual(before);
      expect(db.prepare('select count(*) from emails').pluck().get()).toBe(4_000);
    });
  });

  it('gathers the planner statistics of rebuilt indexes again when the file has any (ANALYZE)', async () => {
    const { file, store } = await freshStore();
    await fill(store, 3_000, 1_000);
    const analyzed = new Database(file);
    analyzed.exec('analyze');
    analyzed.close();
    await purgeOnWorker(file, 5000, connectionPragmas(5000, file), purge());
    const stats = inspect(file, (db) => db.prepare('select idx, stat from sqlite_stat1 where tbl = ?').all('emails') as { idx: string; stat: string }[]);
    // A statistic starts with the index's row count: the rows kept (sent ones only in the partial index).
    const rowCount = (index: string): string | undefined => stats.find((s) => s.idx === index)?.stat.split(' ')[0];
    expect(HISTORY_INDEXES.map(rowCount)).toEqual(['1000', '1000', '800']);
  });

  it('purges on a worker thread from an ES-module entry point as well (the worker code runs under either module type)', async () => {
    const { file, store } = await freshStore();
    // Enough rows for the purge to go to a worker thread (small ones run on the calling thread).
    await store.insertEmails(Array.from({ length: 2_500 }, () => newRecord({ status: 'sent', createdAt: at(0), sentAt: at(0) })));
    await store.close();
    const entry = `
      import { createSqliteStore } from ${JSON.stringify(fileURLToPath(new URL('../../src/store/sqlite/sqlite-store.ts', import.meta.url)))};
      const store = createSqliteStore({ filename: ${JSON.stringify(file)} });
      console.log(JSON.stringify({ purged: await store.purgeFinishedBefore(${JSON.stringify(at(1_000))}) }));
      await store.close();`;
    // `--input-type=module` is inherited by worker threads, so an eval'd worker is a module there.
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err: err.includes('Error') ? err : '' }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({ purged: 2_500 });
  });

  it('purges on a worker thread: the event loop keeps turning while a large purge runs, and other writes wait their turn', async () => {
    const { store } = await freshStore();
    for (let chunk = 0; chunk < 4; chunk += 1) {
      await store.insertEmails(Array.from({ length: 10_000 }, () => newRecord({ status: 'sent', createdAt: at(0), sentAt: at(0) })));
    }
    const kept = newRecord({ status: 'queued', createdAt: at(0) });
    await store.insertEmail(kept);
    let turns = 0;
    let purging = true;
    const spin = (): void => {
      turns += 1;
      if (purging) setImmediate(spin);
    };
    setImmediate(spin);
    const purge = store.purgeFinishedBefore(at(1_000)).finally(() => (purging = false));
    // A write issued during the purge waits for it, then succeeds.
    const update = store.updateEmail(kept.id, { deferrals: 7 });
    expect(await purge).toBe(40_000);
    expect((await update).deferrals).toBe(7);
    // With the DELETE on this thread there would be no turn at all until it finished.
    expect(turns).toBeGreaterThan(10);
  });
});
