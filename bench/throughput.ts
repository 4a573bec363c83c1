import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSmtpSink } from '../examples/support/demo-smtp-sink.js';
import { benchMailwright } from './bench-mailwright.js';
import { printFigures } from './bench-report.js';
import { rawNodemailerRate } from './raw-nodemailer-baseline.js';

const COUNT = Number(process.env.BENCH_EMAILS ?? 2000);
const CONCURRENCY = 4;

const sink = await startDemoSmtpSink();
const dir = await mkdtemp(join(tmpdir(), 'mw-bench-tp-'));
try {
  const baseline = await rawNodemailerRate(sink.port, COUNT, CONCURRENCY);

  const mailwright = await benchMailwright(dir, sink.port);
  for (let i = 0; i < COUNT; i += 1) {
    await mailwright.enqueue({ from: 'Batch <batch@contoso.com>', to: `customer${i}@example.com`, subject: `Invoice ${i}`, text: `Hello, your invoice ${i} is ready.` });
  }
  const start = process.hrtime.bigint();
  const summary = await mailwright.createDistributor({ concurrency: CONCURRENCY, claimBatch: 100 }).runOnce();
  const rate = summary.sent / (Number(process.hrtime.bigint() - start) / 1e9);
  await mailwright.close();

  const met = printFigures(`Throughput: ${COUNT} small emails to a local SMTP sink (concurrency ${CONCURRENCY})`, [
    { name: 'distributor with SQLite history', value: rate, unit: 'emails/s', baseline: { name: 'raw nodemailer pooled transport', value: baseline } },
    { name: 'ratio distributor / raw nodemailer', value: rate / baseline, unit: '', target: { op: '>=', value: 0.9 } },
  ]);
  process.exitCode = met && summary.sent === COUNT ? 0 : 1;
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
