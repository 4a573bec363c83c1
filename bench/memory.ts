import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, printFigures } from './bench-report.js';
import { forkRecordingSink } from './recording-sink.js';
import { benchScript } from './recording-sink.js';

// Memory of an application that sends through SMTP only, against raw nodemailer: each side in
// a process of its own (memory-process.ts), the SMTP sink in a third; their RSS once set up and
// their peak RSS while sending 200 emails that each attach a 10 MB file, in alternating rounds.
// Then which modules such a start loads, per package (import-trace-process.ts).

const COUNT = Number(process.env.BENCH_LARGE_EMAILS ?? 200);
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 2);
const SIZE = 10 * 1024 * 1024;
const mb = (n: number): number => n / 1_048_576;

/** Runs a bench script in a child process and returns the one message it sends. */
async function runChild<T>(name: string, args: string[]): Promise<T> {
  const { file, execArgv } = benchScript(name);
  const child = fork(file, args, { execArgv });
  const [[message]] = (await Promise.all([once(child, 'message'), once(child, 'exit')])) as [[T], unknown];
  return message;
}

interface MemoryRun {
  startRss: number;
  peakRss: number;
  sent: number;
}

const sink = await forkRecordingSink();
const dir = await mkdtemp(join(tmpdir(), 'mw-bench-mem-'));
try {
  const file = join(dir, 'report.pdf');
  await writeFile(file, Buffer.alloc(SIZE, 0x5a));
  const runs: Record<'raw' | 'mailwright', MemoryRun[]> = { raw: [], mailwright: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const side of ['raw', 'mailwright'] as const) {
      const run = await runChild<MemoryRun>('memory-process', [side, String(sink.port), file, String(COUNT)]);
      runs[side].push(run);
      console.log(`  round ${round + 1}, ${side}: RSS ${mb(run.startRss).toFixed(1)} MB set up, peak ${mb(run.peakRss).toFixed(1)} MB, ${run.sent} sent`);
    }
  }
  const modules = await runChild<Record<string, number>>('import-trace-process', []);
  console.log(`  modules an SMTP-only start loads (import, createMailwright with SQLite, one enqueue), per package:`);
  console.log(`    ${Object.entries(modules).sort((a, b) => b[1] - a[1]).map(([owner, n]) => `${owner} ${n}`).join(', ')}`);
  const of = (side: 'raw' | 'mailwright', key: 'startRss' | 'peakRss'): number => mb(median(runs[side].map((r) => r[key])));
  const met = printFigures(`Memory: ${COUNT} emails with a 10 MB attachment read from a file (median of ${ROUNDS} rounds)`, [
    { name: 'mailwright RSS once set up (SMTP provider, SQLite store)', value: of('mailwright', 'startRss'), unit: 'MB', baseline: { name: 'raw nodemailer pooled transport', value: of('raw', 'startRss') } },
    { name: 'mailwright peak RSS while sending', value: of('mailwright', 'peakRss'), unit: 'MB', baseline: { name: 'raw nodemailer', value: of('raw', 'peakRss') } },
    { name: 'RSS once set up, mailwright ÷ raw nodemailer', value: of('mailwright', 'startRss') / of('raw', 'startRss'), unit: '', target: { op: '<=', value: 1.2 } },
    { name: 'peak RSS, mailwright ÷ raw nodemailer', value: of('mailwright', 'peakRss') / of('raw', 'peakRss'), unit: '', target: { op: '<=', value: 1.15 } },
  ]);
  const allSent = [...runs.raw, ...runs.mailwright].every((run) => run.sent === COUNT);
  process.exitCode = met && allSent ? 0 : 1;
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
