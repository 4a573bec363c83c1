import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createMailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../src/store/postgres/postgres-store.js';
import type { NewEmailRecord } from '../src/store/email-record.js';
import type { Store } from '../src/store/store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';
import { printFigures, timeMs } from './bench-report.js';
import { PG_URL } from './peers/peer-sender.js';

// PostgreSQL at scale: enqueueMany of 100,000 emails (validated, size-checked, stored in
// transactions of 10,000), against the store's own insert of the same records.

const ENQUEUE = Number(process.env.BENCH_ENQUEUE ?? 100_000);
const runId = randomBytes(4).toString('hex');
const schemas: string[] = [];
const freshStore = (): Store => {
  const schema = `mwbench_pgscale_${runId}_${schemas.length + 1}`;
  schemas.push(schema);
  return createPostgresStore({ connectionString: PG_URL, schema });
};

try {
  // The records enqueueMany hands to the store, kept for the baseline.
  const batches: NewEmailRecord[][] = [];
  const store = freshStore();
  const recording = new Proxy(store, {
    get: (target, key) =>
      key === 'insertEmails'
        ? (records: readonly NewEmailRecord[]) => {
            batches.push([...records]);
            return target.insertEmails(records);
          }
        : Reflect.get(target, key, target),
  });
  const mailwright = await createMailwright({
    store: recording,
    providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: 2525, requireTls: false, requireAuth: false } })],
    users: new InMemoryUserDirectory(),
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
  const queued = await mailwright.store.countDue(Date.now() + 1000);
  await mailwright.close();

  const raw = freshStore();
  await raw.migrate();
  const insertMs = await timeMs(async () => {
    for (const batch of batches) await raw.insertEmails(batch);
  });
  await raw.close();

  const met = printFigures(`PostgreSQL at scale`, [
    { name: `enqueue of ${ENQUEUE} (enqueueMany, 10,000 per call)`, value: enqueueMs, unit: 'ms', target: { op: '<=', value: 2000 }, baseline: { name: 'store.insertEmails of the same records', value: insertMs } },
  ]);
  process.exitCode = met && queued === ENQUEUE ? 0 : 1;
} finally {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
  await admin.end();
}
