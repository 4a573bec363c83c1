import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../src/clock/manual-clock.js';
import { toIso, type Clock } from '../src/clock/clock.js';
import { newEmailId } from '../src/store/email-id.js';
import type { EmailStatus, NewEmailRecord } from '../src/store/email-record.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { printFigures, timeMs } from './bench-report.js';
import { createMailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SENDERS = 500;
const clock = new ManualClock('2026-11-24T00:00:00.000Z');

/** The stored message of a failed small email, as the queue serializes it. */
const failedPayload = (i: number): string =>
  JSON.stringify({ from: { address: 'user@contoso.com' }, to: [{ address: `customer${i}@example.com` }], cc: [], bcc: [], replyTo: [], subject: `Invoice ${i}`, text: `Hello, your invoice ${i} is ready.`, headers: {}, attachments: [], messageId: `<${i}@contoso.com>`, date: '2026-11-01T00:00:00.000Z' });

function historyRow(i: number): NewEmailRecord {
  const created = clock.now().minus({ minutes: (ROWS - i) * (90 * 24 * 60 / ROWS) });
  const status: EmailStatus = i % 10 === 0 ? 'failed' : 'sent';
  const sender = `user${i % SENDERS}@contoso.com`;
  const at = toIso(created);
  return {
    // Time-ordered ids, as mailwright assigns them (UUID v7 from the creation time).
    id: newEmailId({ now: () => created } as Clock),
    status,
    mode: 'batch',
    providerId: 'smtp',
    messageId: `<${i}@contoso.com>`,
    from: `User ${i % SENDERS} <${sender}>`,
    senderAddress: sender,
    recipients: [{ kind: 'to', address: `customer${i}@example.com`, status: status === 'sent' ? 'accepted' : 'rejected' }],
    subject: `Invoice ${i}`,
    sizeBytes: 2048,
    attempts: 1,
    deferrals: 0,
    forced: false,
    priority: 0,
    dueAt: at,
    createdAt: at,
    sentAt: at,
    meta: {},
    // A failed batch email keeps its message (for history.retry) until the purge deletes it.
    ...(status === 'failed'
      ? { failure: { code: 'MW_RECIPIENT_UNKNOWN' as const, category: 'recipient' as const, explanation: 'x', fix: 'y', permanent: true, message: '550 5.1.1' }, payload: failedPayload(i) }
      : {}),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'mw-bench-sqlite-'));
const filename = join(dir, 'history.db');
const store = createSqliteStore({ filename, clock });
await store.migrate();

const loadMs = await timeMs(async () => {
  for (let start = 0; start < ROWS; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, ROWS - start) }, (_, k) => historyRow(start + k));
    await store.insertEmails(batch);
  }
});
// Each history row carries its attempt log, as the distributor writes it (one attempt with its transcript).
const attemptLog = `${JSON.stringify({
  attempt: 1,
  providerId: 'smtp',
  startedAt: '2026-11-01T00:00:00.000Z',
  finishedAt: '2026-11-01T00:00:00.120Z',
  outcome: 'sent',
  transcript: '* reusing an authenticated connection\nC: MAIL FROM:<user1@contoso.com>\nS: 250 2.1.0 Ok\nC: RCPT TO:<customer1@example.com>\nS: 250 2.1.5 Ok\nC: DATA\nS: 354 End data with <CR><LF>.<CR><LF>\nC: <2048 bytes encoded mime message (source size 2045 bytes)>\nS: 250 2.0.0 Ok: queued as 4XyZ1',
})}\n`;
const setup = new Database(filename);
setup.prepare('update emails set attempt_log = ?').run(attemptLog);
setup.pragma('wal_checkpoint(TRUNCATE)');
setup.close();
// Two copies of the file for the purge baseline (the store's own file is purged in between),
// and one for the purge of a third.
const rawCopies = [join(dir, 'history-raw-1.db'), join(dir, 'history-raw-2.db')];
const thirdCopy = join(dir, 'history-third.db');
for (const copy of [...rawCopies, thirdCopy]) {
  await copyFile(filename, copy);
  // Written out now, so the kernel's write-back of the copy does not slow a timed purge.
  const handle = await open(copy, 'r+');
  await handle.datasync();
  await handle.close();
}
console.log(`loaded ${ROWS} history rows with their attempt logs in ${(loadMs / 1000).toFixed(1)} s`);

// Failed-by-sender: mailwright's history.list vs the same query in raw SQL (baseline).
const sender = 'user120@contoso.com'; // i ≡ 120 (mod 500) includes failed rows (i ≡ 0 mod 10)
const queryMs = await timeMs(() => store.listEmails({ status: 'failed', sender, limit: 50 }), 20);
const raw = new Database(filename, { readonly: true });
const rawQuery = raw.prepare(
  "SELECT * FROM emails WHERE sender_address = ? AND status = 'failed' ORDER BY created_at_ms DESC, id DESC LIMIT 50",
);
const rawQueryMs = await timeMs(() => rawQuery.all(sender), 20);
raw.close();

// Retention purge: everything older than 30 days (about two thirds of the rows).
const cutoff = toIso(clock.now().minus({ days: 30 }));
// Baseline: the same DELETEs in raw SQL (the emails, then the payloads of the failed ones)
// with the store's pragmas, on a copy of the file; what
// SQLite itself needs (B-tree deletes in the table and each index, WAL writes, checkpoint).
// Whichever purge runs first is the slowest, so the baseline runs before and after the
// store's purge and is the mean of the two.
const rawPurgeMs = async (copy: string): Promise<number> => {
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('journal_size_limit = 67108864');
  const statement = db.prepare("DELETE FROM emails WHERE status IN ('sent', 'failed', 'blocked', 'exported') AND created_at_ms < ?");
  const sweep = db.prepare('DELETE FROM email_payloads WHERE NOT EXISTS (SELECT 1 FROM emails WHERE emails.id = email_payloads.email_id)');
  const ms = await timeMs(() => db.transaction(() => (statement.run(Date.parse(cutoff)), sweep.run()))());
  db.close();
  return ms;
};
const rawPurgeBeforeMs = await rawPurgeMs(rawCopies[0] as string);
let deleted = 0;
const purgeMs = await timeMs(async () => {
  deleted = await store.purgeFinishedBefore(cutoff);
});
console.log(`purged ${deleted} rows older than ${cutoff}`);
await store.close();
const rawPurgeAfterMs = await rawPurgeMs(rawCopies[1] as string);
console.log(`raw SQL purge of a copy: ${rawPurgeBeforeMs.toFixed(0)} ms before, ${rawPurgeAfterMs.toFixed(0)} ms after the store's purge`);
await rm(rawCopies[0] as string);
await rm(rawCopies[1] as string);

// A third of the history: everything older than 60 days, on a copy of the file.
const thirdStore = createSqliteStore({ filename: thirdCopy, clock });
let deletedThird = 0;
const purgeThirdMs = await timeMs(async () => {
  deletedThird = await thirdStore.purgeFinishedBefore(toIso(clock.now().minus({ days: 60 })));
});
await thirdStore.close();
await rm(thirdCopy);

// Enqueue of 100,000 emails with enqueueMany (validated, size-checked, one transaction per 10,000),
// against the raw inserts of the same records (baseline).
const ENQUEUE = Number(process.env.BENCH_ENQUEUE ?? 100_000);
const mailwright = await createMailwright({
  store: createSqliteStore({ filename: join(dir, 'queue.db'), clock }),
  providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: 2525, requireTls: false, requireAuth: false } })],
  users: new InMemoryUserDirectory(),
  clock,
});
await mailwright.parameters.update({ batchProviderId: 'smtp' });
const enqueueMs = await timeMs(async () => {
  for (let start = 0; start < ENQUEUE; start += 10_000) {
    await mailwright.enqueueMany(
      Array.from({ length: Math.min(10_000, ENQUEUE - start) }, (_, k) => ({
        message: { from: 'Billing <billing@contoso.com>', to: `customer${start + k}@example.com`, subject: `Statement ${start + k}`, text: `Dear customer, your statement ${start + k} is ready.` },
      })),
    );
  }
});
const queued = (await mailwright.history.list({ status: 'queued', limit: 1 })).items.length;
await mailwright.close();
const rawStore = createSqliteStore({ filename: join(dir, 'raw-queue.db'), clock });
await rawStore.migrate();
const rawInsertMs = await timeMs(async () => {
  for (let start = 0; start < ENQUEUE; start += 10_000) {
    await rawStore.insertEmails(Array.from({ length: Math.min(10_000, ENQUEUE - start) }, (_, k) => ({ ...historyRow(start + k), status: 'queued' as const, payload: '{}' })));
  }
});
await rawStore.close();
await rm(dir, { recursive: true, force: true });

const met = printFigures(`SQLite at scale (${ROWS} history rows)`, [
  { name: 'failed-by-sender query (history.list)', value: queryMs, unit: 'ms', target: { op: '<=', value: 10 }, baseline: { name: 'raw SQL', value: rawQueryMs } },
  { name: `retention purge of two thirds (${deleted} rows)`, value: purgeMs, unit: 'ms', target: { op: '<=', value: 3000 }, baseline: { name: 'the same DELETE in raw SQL on a copy (mean of before and after)', value: (rawPurgeBeforeMs + rawPurgeAfterMs) / 2 } },
  { name: `retention purge of a third (${deletedThird} rows)`, value: purgeThirdMs, unit: 'ms', target: { op: '<=', value: 3000 } },
  { name: `enqueue of ${ENQUEUE} (enqueueMany)`, value: enqueueMs, unit: 'ms', target: { op: '<=', value: 5000 }, baseline: { name: 'store.insertEmails of prepared records', value: rawInsertMs } },
]);
process.exitCode = met && queued === 1 ? 0 : 1;
