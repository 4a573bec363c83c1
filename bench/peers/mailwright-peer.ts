import { join } from 'node:path';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { pause, peerEmail, pgUrlFor, type PeerConfig, type PeerSender } from './peer-sender.js';

/**
 * mailwright with its default options: `enqueueMany()` stores the round, one distributor
 * (`concurrency` sends in flight, default claim batch and outcome grouping) sends it, on a
 * SQLite file or in a PostgreSQL schema of its own.
 */
export async function mailwrightPeer({ kind, port, namespace, dir, concurrency, takeOverMs }: PeerConfig): Promise<PeerSender> {
  const store = kind === 'mailwright-postgres' ? createPostgresStore({ connectionString: pgUrlFor(namespace), schema: namespace }) : createSqliteStore({ filename: join(dir, `${namespace}.db`) });
  const mailwright = await createMailwright({
    store,
    providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false }, maxConnections: concurrency })],
    users: new InMemoryUserDirectory(),
  });
  await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 } });
  const distributor = mailwright.createDistributor({ concurrency, ...(takeOverMs !== undefined ? { leaseMs: takeOverMs } : {}) });
  return {
    fill: async (prefix, count) => {
      for (let start = 0; start < count; start += 10_000) {
        await mailwright.enqueueMany(Array.from({ length: Math.min(10_000, count - start) }, (_, k) => ({ message: peerEmail(prefix, start + k) })));
      }
    },
    drain: async () => {
      await distributor.runOnce();
    },
    recover: async () => {
      for (;;) {
        await distributor.runOnce();
        const left = await mailwright.history.list({ status: ['queued', 'deferred', 'sending'], limit: 1 });
        if (left.items.length === 0) return;
        await pause(200); // the killed worker's leases run out
      }
    },
    close: () => mailwright.close(),
  };
}
