import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { median, printFigures } from './bench-report.js';
import { forkRecordingSink } from './recording-sink.js';
import { noBackendCpu, postgresBackendCpu, redisServerCpu, type BackendCpu } from './peers/backend-cpu.js';
import { crashTest, type CrashOutcome } from './peers/crash-test.js';
import { startPeer, type PeerHandle } from './peers/peer-handle.js';
import { dropSchemas, PG_URL, REDIS_URL, type PeerConfig, type PeerKind } from './peers/peer-sender.js';
import { PG_BOSS_BATCH, PG_BOSS_LOOPS } from './peers/pg-boss-peer.js';

// mailwright against what users would pick instead: raw nodemailer (the baseline), mailwright on
// SQLite and on PostgreSQL (one worker), BullMQ + nodemailer (Redis) and pg-boss + nodemailer
// (PostgreSQL). Each sender runs in its own process, the SMTP sink in another; rounds
// interleave the senders (each round in another order) and the figures are medians. Then each
// sender is killed with SIGKILL in the middle of a batch, and a fresh worker finishes its queue:
// the sink counts what was sent twice and what was lost.
// Environment: BENCH_PEERS (comma-separated kinds), BENCH_PEER_EMAILS (5000), BENCH_ROUNDS (5),
// BENCH_CRASH_EMAILS (2000; 0 skips the crash tests).

const COUNT = Number(process.env.BENCH_PEER_EMAILS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CRASH_COUNT = Number(process.env.BENCH_CRASH_EMAILS ?? 2000);
const CONCURRENCY = 4;
/** How soon a crashed worker's emails are taken over in the crash tests (lease, lock, expiry). */
const TAKE_OVER_MS = 2000;

const ALL: readonly PeerKind[] = ['raw-nodemailer', 'mailwright-sqlite', 'mailwright-postgres', 'bullmq', 'pg-boss'];

/** The most emails a crash can send twice, by design (what each keeps in flight, unrecorded). */
const CRASH_BOUND: Record<PeerKind, string> = {
  'raw-nodemailer': 'nothing stored: every email not sent yet is lost',
  'mailwright-sqlite': `at most concurrency (${CONCURRENCY}) + maxUnrecorded (0) twice, none lost`,
  'mailwright-postgres': `at most concurrency (${CONCURRENCY}) + maxUnrecorded (0) twice, none lost`,
  bullmq: `at most concurrency (${CONCURRENCY}) twice, none lost`,
  'pg-boss': `at most ${PG_BOSS_LOOPS} batches × ${PG_BOSS_BATCH} twice, none lost`,
};

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

const postgresUp = await reachable(async () => {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  await client.end();
});
const redisUp = await reachable(() => redisServerCpu().start());
const wanted = (process.env.BENCH_PEERS?.split(',') ?? ALL) as PeerKind[];
const usesPostgres = (kind: PeerKind): boolean => kind === 'mailwright-postgres' || kind === 'pg-boss';
const kinds = ALL.filter((kind) => wanted.includes(kind)).filter((kind) => {
  const missing = usesPostgres(kind) && !postgresUp ? `PostgreSQL at ${PG_URL}` : kind === 'bullmq' && !redisUp ? `Redis at ${REDIS_URL}` : undefined;
  if (missing !== undefined) console.log(`  ${kind}: SKIPPED, ${missing} is unreachable`);
  return missing === undefined;
});

const runId = randomBytes(4).toString('hex');
const schemas: string[] = [];
const configFor = (kind: PeerKind, dir: string, port: number, suffix: string, takeOverMs?: number): PeerConfig => {
  const namespace = `mwbench_${kind.replace(/-/g, '_')}_${runId}${suffix}`;
  if (usesPostgres(kind)) schemas.push(namespace);
  return { kind, port, namespace, dir, concurrency: CONCURRENCY, ...(takeOverMs !== undefined ? { takeOverMs } : {}) };
};
const backendOf = (config: PeerConfig): BackendCpu => (usesPostgres(config.kind) ? postgresBackendCpu(config.namespace) : config.kind === 'bullmq' ? redisServerCpu() : noBackendCpu);

interface Round {
  rate: number;
  processUs: number;
  databaseUs: number;
}

const sink = await forkRecordingSink();
const dir = await mkdtemp(join(tmpdir(), 'mw-bench-peers-'));
const load = loadavg()[0] ?? 0;
let allSent = true;
try {
  const peers: { handle: PeerHandle; backend: BackendCpu; rounds: Round[] }[] = [];
  for (const kind of kinds) {
    const config = configFor(kind, dir, sink.port, '');
    peers.push({ handle: await startPeer(config), backend: backendOf(config), rounds: [] });
  }
  /** Fills and drains one round of `count` emails for one sender; checks the sink got each once. */
  const round = async (peer: (typeof peers)[number], name: string, count: number): Promise<Round> => {
    const prefix = `${name}-${peer.handle.config.namespace}-`;
    await peer.handle.run({ type: 'fill', prefix, count });
    const stop = await peer.backend.start();
    const { ms, cpuUs } = await peer.handle.run({ type: 'drain' });
    const databaseUs = await stop();
    const { distinct, duplicates } = await sink.count(prefix);
    allSent &&= distinct === count && duplicates === 0;
    return { rate: count / (ms / 1000), processUs: cpuUs / count, databaseUs: databaseUs / count };
  };
  // Warm-up: connections opened (the sink greets each new one after 100 ms), code compiled.
  for (const peer of peers) await round(peer, 'warm-up', 500);
  for (let r = 0; r < ROUNDS; r += 1) {
    const order = peers.map((_, i) => peers[(i + r) % peers.length] as (typeof peers)[number]);
    const line: string[] = [];
    for (const peer of order) {
      const result = await round(peer, `round${r}`, COUNT);
      peer.rounds.push(result);
      line.push(`${peer.handle.config.kind} ${result.rate.toFixed(0)}/s ${(result.processUs + result.databaseUs).toFixed(0)} µs`);
    }
    console.log(`  round ${r + 1}: ${line.join(', ')}`);
  }
  for (const { handle, backend } of peers) {
    await handle.run({ type: 'close' });
    await backend.close();
  }

  const summary = peers.map(({ handle, rounds }) => ({
    kind: handle.config.kind,
    rate: median(rounds.map((x) => x.rate)),
    processUs: median(rounds.map((x) => x.processUs)),
    databaseUs: median(rounds.map((x) => x.databaseUs)),
    rates: rounds.map((x) => x.rate),
  }));
  const raw = summary.find((s) => s.kind === 'raw-nodemailer');

  const crashes = new Map<PeerKind, CrashOutcome>();
  if (CRASH_COUNT > 0) {
    for (const kind of kinds) crashes.set(kind, await crashTest(configFor(kind, dir, sink.port, '_crash', TAKE_OVER_MS), sink, CRASH_COUNT));
  }

  console.log(`\n== Peers: ${COUNT} small emails per round to one SMTP sink (own process), ${CONCURRENCY} connections each, median of ${ROUNDS} interleaved rounds; load average ${load.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after`);
  console.log('  sender               emails/s (rounds)           ratio to raw   CPU µs/email: process + database = total, over raw   kill -9 at half of ' + CRASH_COUNT);
  for (const s of summary) {
    const total = s.processUs + s.databaseUs;
    const crash = crashes.get(s.kind);
    console.log(
      [
        `  ${s.kind.padEnd(20)}`,
        `${s.rate.toFixed(0).padStart(6)} (${Math.min(...s.rates).toFixed(0)}–${Math.max(...s.rates).toFixed(0)})`.padEnd(27),
        (raw === undefined ? '–' : (s.rate / raw.rate).toFixed(2)).padStart(6).padEnd(14),
        `${s.processUs.toFixed(0)} + ${s.databaseUs.toFixed(0)} = ${total.toFixed(0)}, ${raw === undefined ? '–' : `+${(total - raw.processUs).toFixed(0)}`}`.padEnd(46),
        crash === undefined ? '' : `${crash.sentTwice} sent twice, ${crash.lost} lost (${crash.deliveredAtKill} delivered before the kill; ${CRASH_BOUND[s.kind]})`,
      ].join(' '),
    );
  }

  // Targets (issue 23): mailwright ahead of both peers in emails/s and CPU per email, on SQLite and
  // on PostgreSQL, and at >= 0.85 of raw nodemailer.
  const peersOnly = summary.filter((s) => s.kind === 'bullmq' || s.kind === 'pg-boss');
  const figures = summary
    .filter((s) => s.kind.startsWith('mailwright') && raw !== undefined)
    .flatMap((s) => {
      const overRaw = (x: (typeof summary)[number]): number => x.processUs + x.databaseUs - (raw?.processUs ?? 0);
      return [
        { name: `${s.kind}: emails/s ÷ raw nodemailer`, value: s.rate / (raw?.rate ?? 1), unit: '', target: { op: '>=' as const, value: 0.85 } },
        ...peersOnly.map((p) => ({ name: `${s.kind}: emails/s ÷ ${p.kind}`, value: s.rate / p.rate, unit: '', target: { op: '>=' as const, value: 1 } })),
        ...peersOnly.map((p) => ({ name: `${s.kind}: CPU per email over raw ÷ ${p.kind}'s`, value: overRaw(s) / overRaw(p), unit: '', target: { op: '<=' as const, value: 1 } })),
      ];
    });
  const crashFigures = [...crashes].filter(([kind]) => kind.startsWith('mailwright')).flatMap(([kind, crash]) => [
    { name: `${kind}: emails sent twice after kill -9`, value: crash.sentTwice, unit: '', target: { op: '<=' as const, value: CONCURRENCY } },
    { name: `${kind}: emails lost after kill -9`, value: crash.lost, unit: '', target: { op: '<=' as const, value: 0 } },
  ]);
  const met = printFigures('Peers: targets', [...figures, ...crashFigures]);
  if (!allSent) console.log('  NOT every email of every round reached the sink exactly once.');
  process.exitCode = met && allSent ? 0 : 1;
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
}
