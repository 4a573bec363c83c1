import nodemailer from 'nodemailer';
import PgBoss from 'pg-boss';
import { pause, peerEmail, pgUrlFor, type PeerConfig, type PeerSender } from './peer-sender.js';

type Email = ReturnType<typeof peerEmail>;

/** Jobs fetched and completed together (pg-boss's `batchSize`). */
export const PG_BOSS_BATCH = 50;

/** Fetch loops running at once, so that one sends while another fetches or completes. */
export const PG_BOSS_LOOPS = 2;

/**
 * pg-boss + nodemailer, batched as pg-boss recommends for throughput: `insert()` stores the
 * round, and {@link PG_BOSS_LOOPS} loops each `fetch()` {@link PG_BOSS_BATCH} jobs, send
 * them over a pooled nodemailer transport of `concurrency` connections and `complete()` them
 * in one statement. (`work()` does the same but sleeps up to its polling interval, at least
 * 0.5 s, after every batch.) A killed worker's jobs stay active until they expire and are
 * retried, so a crash sends up to PG_BOSS_LOOPS × PG_BOSS_BATCH emails twice.
 */
export async function pgBossPeer({ port, namespace, concurrency, takeOverMs }: PeerConfig): Promise<PeerSender> {
  const boss = new PgBoss({
    connectionString: pgUrlFor(namespace),
    schema: namespace,
    // A crash test's recovering worker expires the killed worker's jobs within a second or two.
    ...(takeOverMs !== undefined ? { maintenanceIntervalSeconds: 1, monitorStateIntervalSeconds: 1 } : { supervise: false }),
  });
  boss.on('error', (error: unknown) => console.error('pg-boss:', error));
  await boss.start();
  const queue = 'email';
  await boss.createQueue(queue, takeOverMs !== undefined ? { name: queue, expireInSeconds: Math.max(1, Math.round(takeOverMs / 1000)) } : { name: queue });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
  /** Fetches, sends and completes batches until a fetch finds none. */
  const loop = async (): Promise<void> => {
    for (;;) {
      const jobs = await boss.fetch<Email>(queue, { batchSize: PG_BOSS_BATCH });
      if (jobs.length === 0) return;
      await Promise.all(jobs.map((job) => transport.sendMail(job.data)));
      await boss.complete(queue, jobs.map((job) => job.id));
    }
  };
  const drain = async (): Promise<void> => {
    await Promise.all(Array.from({ length: PG_BOSS_LOOPS }, loop));
  };
  return {
    fill: async (prefix, count) => {
      for (let start = 0; start < count; start += 1000) {
        await boss.insert(Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({ name: queue, data: peerEmail(prefix, start + k) })));
      }
    },
    drain,
    recover: async () => {
      for (;;) {
        await drain();
        if ((await boss.getQueueSize(queue, { before: 'completed' })) === 0) return;
        await pause(200); // the killed worker's jobs expire
      }
    },
    close: async () => {
      transport.close();
      await boss.stop({ graceful: false, wait: true });
    },
  };
}
