import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { newEmailId } from '../../src/store/email-id.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fileWorkerExecArgv } from '../../src/store/sqlite/worker-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { at, attemptOf, msAt, newRecord } from './support/email-fixtures.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { describeStoreConformance } from './store-conformance.js';

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mw-sqlite-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh database file in the test directory. */
function freshFile(): string {
  counter += 1;
  return join(dir, `store-${counter}.db`);
}

describeStoreConformance('sqlite (file)', () => Promise.resolve(createSqliteStore({ filename: freshFile() })));
describeStoreConformance('sqlite (file, on a worker thread)', () => Promise.resolve(createSqliteStore({ filename: freshFile(), thread: 'worker' })));

describe('SQLite store', () => {
  const opened: Store[] = [];
  const open = (filename: string, options: Parameters<typeof createSqliteStore>[0] = {}): Store => {
    const store = createSqliteStore({ ...options, filename });
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('keeps everything across close and reopen of the same file', async () => {
    const file = freshFile();
    const first = open(file);
    await first.migrate();
    const record = newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(5_000), idempotencyKey: 'k-1', meta: { a: 'ü' } });
    const queued = newRecord({ payload: 'body' });
    const inserted = await first.insertEmail(record);
    await first.insertEmail(queued);
    await first.appendAttempt(attemptOf(record.id));
    await first.putSetting('email.parameters', { retentionDays: 10 });
    await first.close();

    const second = open(file);
    await second.migrate();
    expect(await second.getEmail(record.id)).toEqual(inserted);
    expect(await second.getPayload(queued.id)).toBe('body');
    expect(await second.listAttempts(record.id)).toEqual([attemptOf(record.id)]);
    expect(await second.getSetting('email.parameters')).toEqual({ retentionDays: 10 });
    expect((await second.findByIdempotencyKey('k-1'))?.id).toBe(record.id);
    expect(await second.countSentSince('smtp', msAt(0))).toBe(1);
  });

  it('creates the parent directory and the file in WAL mode with its tables', async () => {
    const file = join(dir, 'nested', 'deeper', 'mailwright.db');
    const store = open(file);
    await store.migrate();
    expect((await stat(file)).isFile()).toBe(true);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = (raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
      expect(tables.filter((t) => !t.startsWith('mailwright_migration'))).toEqual(['email_payloads', 'emails', 'settings']);
      const indexes = (raw.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'emails'").all() as { name: string }[]).map((t) => t.name);
      expect(indexes).toEqual(
        expect.arrayContaining(['emails_claim_idx', 'emails_status_created_idx', 'emails_sender_status_created_idx', 'emails_provider_sent_idx', 'emails_idempotency_key_idx']),
      );
    } finally {
      raw.close();
    }
  });

  it('has indexes that serve the hot queries without sorting the table', async () => {
    const file = freshFile();
    await open(file).migrate();
    const raw = new Database(file, { readonly: true });
    const plan = (query: string): string =>
      (raw.prepare(`explain query plan ${query}`).all() as { detail: string }[]).map((r) => r.detail).join(' / ');
    const newest = 'order by created_at_ms desc, id desc limit 51';
    try {
      // history: one branch per status (as list-emails.ts runs them), read in index order;
      // only rows of the same millisecond get sorted (by id)
      for (const query of [
        `select * from emails where status = 'failed' and sender_address = 'ana@contoso.com' ${newest}`,
        `select * from emails where status = 'sent' and created_at_ms >= 0 and created_at_ms < 9 ${newest}`,
      ]) {
        expect(plan(query)).toMatch(/^SEARCH emails USING INDEX emails_(sender_)?status_created_idx \(.*\)( \/ USE TEMP B-TREE FOR LAST TERM OF ORDER BY)?$/);
      }
      expect(plan(`select * from emails where status = 'failed' and sender_address = 'ana@contoso.com' ${newest}`)).toContain('emails_sender_status_created_idx');
      // claim (the store names the partial index; preparing fails if it cannot serve the query)
      expect(
        plan(
          "select id from emails indexed by emails_claim_idx where status in ('queued', 'deferred', 'sending') and due_at_ms <= 0 order by priority desc, due_at_ms asc, created_at_ms asc, id asc limit 10",
        ),
      ).toBe('SCAN emails USING INDEX emails_claim_idx');
      // the throttle's line, in send order (reserve-sends.ts)
      expect(
        plan(
          "select id, status, due_at_ms from emails indexed by emails_line_idx where status in ('queued', 'deferred', 'sending') and (status = 'deferred' or (status = 'queued' and due_at_ms <= 0) or (status = 'sending' and sent_at_ms is null and lease_owner is not null) or id in ('a')) order by priority desc, created_at_ms asc, id asc limit 10",
        ),
      ).toBe('SCAN emails USING INDEX emails_line_idx');
      // throttle window, idempotency key
      expect(plan("select count(*) from emails where provider_id = 'smtp' and sent_at_ms >= 0 and forced = 0")).toContain('emails_provider_sent_idx');
      expect(plan("select * from emails where idempotency_key = 'k'")).toContain('emails_idempotency_key_idx');
    } finally {
      raw.close();
    }
  });

  it('also works in memory, purge included', async () => {
    const store = open(':memory:');
    await store.migrate();
    const record = newRecord();
    await store.insertEmail(record);
    expect((await store.getEmail(record.id))?.id).toBe(record.id);
    await store.insertEmail(newRecord({ status: 'sent', createdAt: at(0) }));
    expect(await store.purgeFinishedBefore(at(1_000))).toBe(1);
  });

  it.each(['caller', 'worker'] as const)('takes createdAt/updatedAt from the injected clock (SQLite on the %s thread)', async (thread) => {
    const clock = new ManualClock('2026-06-01T08:00:00.000Z');
    const store = open(freshFile(), { clock, thread });
    await store.migrate();
    const { createdAt: _none, ...record } = newRecord();
    expect((await store.insertEmail(record)).createdAt).toBe('2026-06-01T08:00:00.000Z');
    clock.advance({ minutes: 5 });
    expect((await store.updateEmail(record.id, { attempts: 1 })).updatedAt).toBe('2026-06-01T08:05:00.000Z');
    await store.putSetting('k', 1);
  });

  it('reports a file it cannot open as MW_STORE_FAILED from migrate()', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    const store = open(folder); // a directory, not a database file
    const error = await expectMailwrightError(store.migrate(), ErrorCodes.STORE_FAILED);
    expect(error.details.dialect).toBe('sqlite');
  });

  it('refuses a file made by a pre-release build with an older version 1 schema, saying to recreate it', async () => {
    const file = freshFile();
    const first = open(file);
    await first.migrate();
    await first.close();
    // The older form: attempts in a table of their own, no attempt_log column.
    const raw = new Database(file);
    raw.exec('alter table emails drop column attempt_log; create table attempts (seq integer primary key, email_id text not null)');
    raw.close();
    const error = await open(file).migrate().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.STORE_FAILED, message: expect.stringContaining('pre-release'), fix: expect.stringContaining('run migrate() again') });
  });

  it('holds the write lock for a whole claim, and readers still read meanwhile (WAL)', async () => {
    const file = freshFile();
    const store = open(file, { busyTimeoutMs: 50 });
    await store.migrate();
    const record = newRecord({ dueAt: at(0) });
    await store.insertEmail(record);

    const other = new Database(file);
    try {
      other.exec('begin immediate'); // another process holding the write lock
      const error = await expectMailwrightError(store.claimDue({ now: msAt(1_000), limit: 1, leaseMs: 1_000, owner: 'w' }), ErrorCodes.STORE_FAILED);
      expect(error.permanent).toBe(false);
      expect((await store.getEmail(record.id))?.status).toBe('queued');
      other.exec('rollback');
    } finally {
      other.close();
    }
    expect(await store.claimDue({ now: msAt(1_000), limit: 1, leaseMs: 1_000, owner: 'w' })).toHaveLength(1);
  });

  it('on a worker thread, a write waiting for another process\'s lock leaves the event loop free, and goes through once the lock is released', async () => {
    const file = freshFile();
    const store = open(file, { thread: 'worker', busyTimeoutMs: 10_000 });
    await store.migrate();
    const other = new Database(file);
    try {
      other.exec('begin immediate'); // another process holding the write lock
      let written = false;
      const write = store.putSetting('k', 'v').then(() => (written = true));
      // Timers keep firing while the store thread waits on SQLite's busy timeout.
      let ticks = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          ticks += 1;
          if (ticks === 5) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
      expect(written).toBe(false);
      other.exec('commit');
      await write;
    } finally {
      other.close();
    }
    expect(await store.getSetting('k')).toBe('v');
  });

  it('a store thread started from the compiled file gets the process\'s Node options except --input-type', () => {
    expect(fileWorkerExecArgv(['--input-type=module', '--enable-source-maps', '--input-type', 'module', '--import', 'x'])).toEqual(['--enable-source-maps', '--import', 'x']);
  });

  it('on a worker thread, errors keep their code, and calls after close() fail with MW_STORE_FAILED', async () => {
    const store = createSqliteStore({ filename: freshFile(), thread: 'worker' });
    await store.migrate();
    const error = await expectMailwrightError(store.updateEmail('missing', { attempts: 1 }), ErrorCodes.EMAIL_NOT_FOUND);
    expect(error.fix).toContain('purged');
    await store.close();
    await store.close(); // idempotent
    await expectMailwrightError(store.getSetting('k'), ErrorCodes.STORE_FAILED);
  });

  it('never hands one email to two store instances on the same file', async () => {
    const file = freshFile();
    const a = open(file);
    const b = open(file);
    await a.migrate();
    await b.migrate();
    const records = Array.from({ length: 40 }, (_, i) => newRecord({ dueAt: at(i) }));
    await a.insertEmails(records);
    const drain = async (store: Store, owner: string): Promise<string[]> => {
      const ids: string[] = [];
      for (;;) {
        const batch = await store.claimDue({ now: msAt(60_000), limit: 3, leaseMs: 60_000, owner });
        if (batch.length === 0) return ids;
        ids.push(...batch.map((r) => r.id));
      }
    };
    const results = await Promise.all([drain(a, 'a1'), drain(b, 'b1'), drain(a, 'a2'), drain(b, 'b2')]);
    const claimed = results.flat();
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed)).toEqual(new Set(records.map((r) => r.id)));
  });

  it('never hands one email to two processes on the same file', async () => {
    const file = freshFile();
    const store = open(file);
    await store.migrate();
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const records = Array.from({ length: 150 }, (_, i) => newRecord({ id: newEmailId(clock), dueAt: at(i), priority: i % 4 }));
    await store.insertEmails(records);

    const worker = fileURLToPath(new URL('./support/sqlite-claim-worker.ts', import.meta.url));
    const children = ['p1', 'p2', 'p3'].map((owner) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, file, owner, String(msAt(600_000))], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => out.includes('ready\n') && resolve());
        child.on('exit', (code) => reject(new Error(`worker ${owner} exited (${code}) before it was ready: ${err}`)));
      });
      const done = new Promise<string[]>((resolve, reject) => {
        child.on('close', (code) => {
          if (code !== 0) reject(new Error(`worker ${owner} failed (${code}): ${err}`));
          else resolve(JSON.parse(out.slice(out.indexOf('ready\n') + 6)) as string[]);
        });
      });
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));

    const claimed = results.flat();
    expect(claimed).toHaveLength(150);
    expect(new Set(claimed)).toEqual(new Set(records.map((r) => r.id)));
    for (const [i, owner] of ['p1', 'p2', 'p3'].entries()) {
      for (const id of results[i] ?? []) expect((await store.getEmail(id))?.leaseOwner).toBe(owner);
    }
  });
});
