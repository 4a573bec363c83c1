import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mailwright } from '../src/mailwright.js';
import { benchMailwright } from './bench-mailwright.js';
import { smallEmail } from './concurrent-rate.js';
import { median, printFigures } from './bench-report.js';
import { inMemoryHotPath } from './in-memory-hot-path.js';
import { forkRecordingSink } from './recording-sink.js';
import { providerOnlyBench } from './provider-only-bench.js';
import { rawNodemailerBench } from './raw-nodemailer-baseline.js';

const COUNT = Number(process.env.BENCH_EMAILS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 4;

// The sink runs in its own process, as a real mail server would: the sender's thread is not
// also the server's, so the ratio compares what the senders cost, not the sink's share of one thread.
const sink = await forkRecordingSink();
const dir = await mkdtemp(join(tmpdir(), 'mw-bench-tp-'));
try {
  const mailwright = await benchMailwright(dir, sink.port, { connections: CONCURRENCY });
  // Diagnostic: the same distributor with its hot path in memory (nothing persisted).
  const inMemory = await benchMailwright(dir, sink.port, { name: 'in-memory.db', connections: CONCURRENCY, wrapStore: inMemoryHotPath });
  // The same distributor letting up to 16 outcomes wait to be stored together (option maxUnrecorded).
  const grouped = await benchMailwright(dir, sink.port, { name: 'grouped.db', connections: CONCURRENCY });
  const rawNodemailer = rawNodemailerBench(sink.port, COUNT, CONCURRENCY);
  const providerOnly = await providerOnlyBench(sink.port, COUNT, CONCURRENCY);
  // Rounds alternate baseline and distributor, so a slow spell of the shared machine hits both;
  // the figures are the medians over the rounds. Each sender keeps its connections across rounds
  // (steady state; the first round also pays the sink's 100 ms greeting delay per connection).
  const rates: { raw: number; provider: number; inMemory: number; mailwright: number; grouped: number; ratio: number }[] = [];
  let sentAll = true;

  /** Enqueues COUNT small emails, then sends them with one `runOnce()`; emails per second. */
  async function distributorRate(instance: Mailwright, maxUnrecorded = 0): Promise<number> {
    await instance.enqueueMany(
      Array.from({ length: COUNT }, (_, i) => ({
        message: smallEmail(i),
      })),
    );
    const start = process.hrtime.bigint();
    const summary = await instance.createDistributor({ concurrency: CONCURRENCY, claimBatch: 100, maxUnrecorded }).runOnce();
    sentAll &&= summary.sent === COUNT;
    return summary.sent / (Number(process.hrtime.bigint() - start) / 1e9);
  }

  for (let round = 0; round < ROUNDS; round += 1) {
    const raw = await rawNodemailer.rate();
    const provider = await providerOnly.rate();
    const inMemoryRate = await distributorRate(inMemory);
    const rate = await distributorRate(mailwright);
    const groupedRate = await distributorRate(grouped, 16);
    rates.push({ raw, provider, inMemory: inMemoryRate, mailwright: rate, grouped: groupedRate, ratio: rate / raw });
    console.log(
      `  round ${round + 1}: raw ${raw.toFixed(0)}, SMTP provider alone ${provider.toFixed(0)}, distributor in memory ${inMemoryRate.toFixed(0)}, distributor ${rate.toFixed(0)}, with maxUnrecorded 16 ${groupedRate.toFixed(0)} emails/s; ratio ${(rate / raw).toFixed(2)}`,
    );
  }
  await mailwright.close();
  await inMemory.close();
  await grouped.close();
  await providerOnly.close();
  await rawNodemailer.close();

  const met = printFigures(`Throughput: ${COUNT} small emails to a local SMTP sink (concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds)`, [
    { name: 'distributor with SQLite history', value: median(rates.map((r) => r.mailwright)), unit: 'emails/s', baseline: { name: 'raw nodemailer pooled transport', value: median(rates.map((r) => r.raw)) } },
    { name: 'mailwright SMTP provider alone, no queue or history (diagnostic)', value: median(rates.map((r) => r.provider)), unit: 'emails/s' },
    { name: 'distributor with its queue and history in memory, nothing persisted (diagnostic)', value: median(rates.map((r) => r.inMemory)), unit: 'emails/s', baseline: { name: 'raw nodemailer', value: median(rates.map((r) => r.raw)) } },
    { name: 'distributor with maxUnrecorded 16 (outcomes stored 16 at a time; diagnostic)', value: median(rates.map((r) => r.grouped)), unit: 'emails/s', baseline: { name: 'raw nodemailer', value: median(rates.map((r) => r.raw)) } },
    { name: 'ratio distributor / raw nodemailer (median of the rounds)', value: median(rates.map((r) => r.ratio)), unit: '', target: { op: '>=', value: 0.9 } },
  ]);
  process.exitCode = met && sentAll ? 0 : 1;
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
