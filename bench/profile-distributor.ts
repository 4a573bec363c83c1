import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';
import { postgresBackendCpu } from './peers/backend-cpu.js';
import { dropSchemas, peerEmail, pgUrlFor } from './peers/peer-sender.js';
import { forkRecordingSink } from './recording-sink.js';

// A diagnostic: one mailwright distributor (defaults, concurrency 4) in this process, sending
// PROFILE_EMAILS small emails to the recording sink (its own process) on SQLite or PostgreSQL
// (argument: sqlite | postgres), after a warm-up round. For the measured round it prints the
// process's CPU per email (and the PostgreSQL backends'), the time each Store method took per
// email (call to settlement), and, with PROFILE_OUT=<file>, writes a CPU profile of the round
// alone (node:inspector), which `node bench/profile-summary.js <file>` sums up by layer.

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const COUNT = Number(process.env.PROFILE_EMAILS ?? 5000);
const namespace = `mwprofile_${randomBytes(4).toString('hex')}`;

/** Wraps every Store method to add up the time from its call until it settles. */
function timed(store: Store, spent: Map<string, { ms: number; calls: number }>): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const start = process.hrtime.bigint();
        const settle = () => {
          const entry = spent.get(key) ?? { ms: 0, calls: 0 };
          entry.ms += Number(process.hrtime.bigint() - start) / 1e6;
          entry.calls += 1;
          spent.set(key, entry);
        };
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) return result.finally(settle);
        settle();
        return result;
      };
    },
  });
}

const sink = await forkRecordingSink();
const dir = await mkdtemp(join(tmpdir(), 'mw-profile-'));
const spent = new Map<string, { ms: number; calls: number }>();
const store = dialect === 'postgres' ? createPostgresStore({ connectionString: pgUrlFor(namespace), schema: namespace }) : createSqliteStore({ filename: join(dir, 'profile.db') });
const mailwright = await createMailwright({
  store: timed(store, spent),
  providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: sink.port, requireTls: false, requireAuth: false }, maxConnections: 4 })],
  users: new InMemoryUserDirectory(),
});
try {
  await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 } });
  const distributor = mailwright.createDistributor({ concurrency: 4 });
  const fill = (prefix: string, count: number) => mailwright.enqueueMany(Array.from({ length: count }, (_, i) => ({ message: peerEmail(prefix, i) })));
  await fill('warm-up-', 500);
  await distributor.runOnce();
  await fill('profiled-', COUNT);
  spent.clear();
  const session = new Session();
  if (process.env.PROFILE_OUT !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const backend = dialect === 'postgres' ? postgresBackendCpu(namespace) : undefined;
  const stopBackend = await backend?.start();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const summary = await distributor.runOnce();
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const backendUs = (await stopBackend?.()) ?? 0;
  await backend?.close();
  if (process.env.PROFILE_OUT !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(process.env.PROFILE_OUT, JSON.stringify(profile));
    session.disconnect();
  }
  console.log(`${dialect}: ${summary.sent} emails in ${seconds.toFixed(2)} s (${(summary.sent / seconds).toFixed(0)}/s); CPU per email: ${((used.user + used.system) / COUNT).toFixed(0)} µs in this process${backend ? `, ${(backendUs / COUNT).toFixed(0)} µs in PostgreSQL backends` : ''}`);
  console.log('  Store calls during the round (time from call to settlement, per email sent; calls):');
  for (const [method, { ms, calls }] of [...spent].sort((a, b) => b[1].ms - a[1].ms)) console.log(`    ${method.padEnd(16)} ${((ms * 1000) / COUNT).toFixed(1).padStart(7)} µs  (${calls} calls)`);
} finally {
  await mailwright.close();
  await sink.close();
  await rm(dir, { recursive: true, force: true });
  if (dialect === 'postgres') await dropSchemas([namespace]);
}
