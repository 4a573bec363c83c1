import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createMailwright, type Mailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../src/store/postgres/postgres-store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';
import { printFigures } from './bench-report.js';
import { smallEmail } from './concurrent-rate.js';
import { forkRecordingSink } from './recording-sink.js';

// The ten-deferral rule on the real clock (issue 21): four distributors, as on four machines,
// share one PostgreSQL schema and a limit of 60 a minute, each run every second, with a backlog
// of 300. The limit must hold in every minute, nothing may be forced (the limit sends 300 in
// five minutes), and every email goes out once. It takes about five minutes of wall time.
const WORKERS = 4;
const LIMIT = 60;
const BACKLOG = Number(process.env.BENCH_THROTTLE_BACKLOG ?? 300);
const connectionString = process.env.MAILWRIGHT_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `mw_bench_throttle_${randomBytes(4).toString('hex')}`;

const sink = await forkRecordingSink();
const instances: Mailwright[] = [];
try {
  for (let i = 0; i < WORKERS; i += 1) {
    instances.push(
      await createMailwright({
        store: createPostgresStore({ connectionString, schema }),
        providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: sink.port, requireTls: false, requireAuth: false } })],
        users: new InMemoryUserDirectory(),
      }),
    );
  }
  const [first] = instances as [Mailwright];
  await first.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: LIMIT } });
  await first.enqueueMany(Array.from({ length: BACKLOG }, (_, i) => ({ message: smallEmail(i) })));
  const started = Date.now();
  const distributors = instances.map((m, i) => m.createDistributor({ workerId: `bench-worker-${i}`, claimBatch: 20 }));
  distributors.forEach((d) => d.start({ every: '1 second' }));
  const deadline = started + 8 * 60_000;
  for (;;) {
    const waiting = (await first.history.list({ status: ['queued', 'deferred', 'sending'], limit: 1 })).items.length;
    if (waiting === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const drainedMs = Date.now() - started;
  await Promise.all(distributors.map((d) => d.stop()));

  const records = (await first.history.list({ limit: 1000 })).items;
  const times = records.filter((r) => r.sentAt !== undefined && !r.forced).map((r) => Date.parse(r.sentAt as string)).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; j < times.length; j += 1) {
    while ((times[j] as number) - (times[i] as number) >= 60_000) i += 1;
    busiest = Math.max(busiest, j - i + 1);
  }
  const met = printFigures(`Throttle on the real clock: ${WORKERS} workers on one PostgreSQL schema, limit ${LIMIT}/min, backlog ${BACKLOG}, each run every second`, [
    { name: 'emails sent', value: records.filter((r) => r.status === 'sent').length, unit: 'emails', target: { op: '>=', value: BACKLOG } },
    { name: 'emails sent twice or more (attempts > 1)', value: records.filter((r) => r.attempts > 1).length, unit: 'emails', target: { op: '<=', value: 0 } },
    { name: 'most non-forced sends in one 60 s window', value: busiest, unit: 'sends', target: { op: '<=', value: LIMIT } },
    { name: 'forced sends', value: records.filter((r) => r.forced).length, unit: 'emails', target: { op: '<=', value: 0 } },
    { name: 'most deferrals of one email', value: Math.max(0, ...records.map((r) => r.deferrals)), unit: 'deferrals', target: { op: '<=', value: Math.ceil(BACKLOG / LIMIT) } },
    { name: 'time to send the backlog', value: drainedMs / 60_000, unit: 'minutes', target: { op: '<=', value: Math.ceil(BACKLOG / LIMIT) + 1 } },
  ]);
  process.exitCode = met ? 0 : 1;
} finally {
  await Promise.all(instances.map((m) => m.close()));
  await sink.close();
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  await admin.query(`drop schema if exists "${schema}" cascade`);
  await admin.end();
}
