import { randomBytes } from 'node:crypto';
import { createMailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../src/store/postgres/postgres-store.js';
import type { NewEmailRecord } from '../src/store/email-record.js';
import type { Store } from '../src/store/store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';
import { median, printFigures, timeMs } from './bench-report.js';

const cpuMs = ({ user, system }: NodeJS.CpuUsage): number => (user + system) / 1000;
import { dropSchemas, PG_URL, type PeerConfig } from './peers/peer-sender.js';
import { startPeer } from './peers/peer-handle.js';
import { forkRecordingSink, type RecordingSink } from './recording-sink.js';
import { postgresBackendCpu } from './peers/backend-cpu.js';

// PostgreSQL at scale: enqueueMany of 100,000 emails (validated, size-checked, stored in
// transactions of 10,000), against the store's own insert of the same records; then 4
// distributor processes against 1 on one schema, sending to a sink that answers each message
// after 100 ms (a remote server's latency), where workers are what adds throughput.

const ENQUEUE = Number(process.env.BENCH_ENQUEUE ?? 100_000);
const WORKER_EMAILS = Number(process.env.BENCH_WORKER_EMAILS ?? 400);
const SINK_LATENCY_MS = 100;
const runId = randomBytes(4).toString('hex');
const schemas: string[] = [];
const freshSchema = (): string => {
  const schema = `mwbench_pgscale_${runId}_${schemas.length + 1}`;
  schemas.push(schema);
  return schema;
};
const freshStore = (): Store => {
  const schema = freshSchema();
  return createPostgresStore({ connectionString: `${PG_URL}?application_name=${schema}`, schema });
};

/** Emails per second of `workers` distributor processes sharing one schema, sending WORKER_EMAILS. */
async function workersRate(sink: RecordingSink, workers: number): Promise<number> {
  const config: PeerConfig = { kind: 'mailwright-postgres', port: sink.port, namespace: freshSchema(), dir: '', concurrency: 4 };
  const peers = [];
  for (let i = 0; i < workers; i += 1) peers.push(await startPeer(config));
  const prefix = `${config.namespace}-`;
  await peers[0]?.run({ type: 'fill', prefix, count: WORKER_EMAILS });
  const start = process.hrtime.bigint();
  await Promise.all(peers.map((peer) => peer.run({ type: 'drain' })));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  for (const peer of peers) await peer.run({ type: 'close' });
  const { distinct, duplicates } = await sink.count(prefix);
  if (distinct !== WORKER_EMAILS || duplicates !== 0) throw new Error(`${workers} workers: ${distinct} of ${WORKER_EMAILS} emails reached the sink, ${duplicates} twice`);
  return WORKER_EMAILS / seconds;
}

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
  const enqueueMeter = postgresBackendCpu(schemas[0] as string);
  const enqueueBackend = await enqueueMeter.start();
  const enqueueCpu = process.cpuUsage();
  const enqueueMs = await timeMs(async () => {
    for (let start = 0; start < ENQUEUE; start += 10_000) {
      await mailwright.enqueueMany(
        Array.from({ length: Math.min(10_000, ENQUEUE - start) }, (_, k) => ({
          message: { from: 'Billing <billing@contoso.com>', to: `customer${start + k}@example.com`, subject: `Statement ${start + k}`, text: `Dear customer, your statement ${start + k} is ready.` },
        })),
      );
    }
  });
  const enqueueProcessMs = cpuMs(process.cpuUsage(enqueueCpu));
  const enqueueDatabaseMs = (await enqueueBackend()) / 1000;
  await enqueueMeter.close();
  const queued = await mailwright.store.countDue(Date.now() + 1000);
  await mailwright.close();

  const raw = freshStore();
  await raw.migrate();
  const insertMeter = postgresBackendCpu(schemas[1] as string);
  const insertBackend = await insertMeter.start();
  const insertCpu = process.cpuUsage();
  const insertMs = await timeMs(async () => {
    for (const batch of batches) await raw.insertEmails(batch);
  });
  const insertProcessMs = cpuMs(process.cpuUsage(insertCpu));
  const insertDatabaseMs = (await insertBackend()) / 1000;
  await insertMeter.close();
  await raw.close();

  // Workers: interleaved, 1 then 4 then 1 then 4; the medians.
  const sink = await forkRecordingSink(SINK_LATENCY_MS);
  const one: number[] = [];
  const four: number[] = [];
  try {
    for (let round = 0; round < 2; round += 1) {
      one.push(await workersRate(sink, 1));
      four.push(await workersRate(sink, 4));
      console.log(`  workers round ${round + 1}: 1 worker ${one.at(-1)?.toFixed(1)} emails/s, 4 workers ${four.at(-1)?.toFixed(1)} emails/s`);
    }
  } finally {
    await sink.close();
  }
  console.log(`  enqueue CPU: ${enqueueProcessMs.toFixed(0)} ms in this process + ${enqueueDatabaseMs.toFixed(0)} ms of PostgreSQL backend; store.insertEmails alone: ${insertProcessMs.toFixed(0)} + ${insertDatabaseMs.toFixed(0)} ms`);

  const met = printFigures(`PostgreSQL at scale`, [
    { name: `enqueue of ${ENQUEUE} (enqueueMany, 10,000 per call)`, value: enqueueMs, unit: 'ms', target: { op: '<=', value: 2000 }, baseline: { name: 'store.insertEmails of the same records', value: insertMs } },
    { name: `4 distributor processes, ${WORKER_EMAILS} emails, sink answering after ${SINK_LATENCY_MS} ms`, value: median(four), unit: 'emails/s', baseline: { name: '1 distributor process', value: median(one) } },
    { name: '4 workers ÷ 1 worker', value: median(four) / median(one), unit: '', target: { op: '>=', value: 3 } },
  ]);
  process.exitCode = met && queued === ENQUEUE ? 0 : 1;
} finally {
  await dropSchemas(schemas);
}
