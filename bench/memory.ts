import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchMailwright } from './bench-mailwright.js';
import { printFigures } from './bench-report.js';
import { forkSink } from './forked-sink.js';

const COUNT = Number(process.env.BENCH_LARGE_EMAILS ?? 200);
const SIZE = 10 * 1024 * 1024;

// The sink runs in its own process: the RSS measured here is mailwright's, not the mail server's.
const sink = await forkSink();
const dir = await mkdtemp(join(tmpdir(), 'mw-bench-mem-'));
try {
  const file = join(dir, 'report.pdf');
  await writeFile(file, Buffer.alloc(SIZE, 0x5a));
  const mailwright = await benchMailwright(dir, sink.port);
  const baselineRss = process.memoryUsage().rss;
  let peak = baselineRss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  for (let i = 0; i < COUNT; i += 1) {
    await mailwright.enqueue({ from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `Report ${i}`, text: 'Attached.', attachments: [{ filename: 'report.pdf', path: file }] });
  }
  const summary = await mailwright.createDistributor({ concurrency: 4 }).runOnce();
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  await mailwright.close();
  const mb = (n: number): number => n / 1_048_576;
  const met = printFigures(`Memory: ${COUNT} emails with a 10 MB attachment read from a file`, [
    { name: 'peak RSS', value: mb(peak), unit: 'MB', target: { op: '<=', value: 150 }, baseline: { name: 'RSS before the run', value: mb(baselineRss) } },
    { name: 'emails sent', value: summary.sent, unit: '' },
  ]);
  process.exitCode = met && summary.sent === COUNT ? 0 : 1;
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
