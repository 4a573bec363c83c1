import { Queue, Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import { pause, peerEmail, REDIS_URL, type PeerConfig, type PeerSender } from './peer-sender.js';

type Email = ReturnType<typeof peerEmail>;

/**
 * BullMQ + nodemailer as BullMQ's guide sets up an email queue: `addBulk` stores the round,
 * one Worker with `concurrency` jobs in flight sends each with a pooled nodemailer transport
 * of as many connections. Completed jobs are kept (BullMQ's default), as a history. A job is
 * locked while active; a killed worker's jobs are found stalled once their lock expires and
 * run again (at least once), so a crash sends up to `concurrency` emails twice.
 */
export async function bullmqPeer({ port, namespace, concurrency, takeOverMs }: PeerConfig): Promise<PeerSender> {
  const url = new URL(REDIS_URL);
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const queue = new Queue<Email>(namespace, { connection });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
  let completed = 0;
  const worker = new Worker<Email>(namespace, async (job) => void (await transport.sendMail(job.data)), {
    connection,
    concurrency,
    autorun: false,
    ...(takeOverMs !== undefined ? { lockDuration: takeOverMs, stalledInterval: takeOverMs } : {}),
  });
  worker.on('completed', () => (completed += 1));
  let filled = 0;
  let running = false;
  const start = (): void => {
    if (running) worker.resume();
    else void worker.run();
    running = true;
  };
  const counts = async (): Promise<number> => {
    const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };
  return {
    fill: async (prefix, count) => {
      for (let start = 0; start < count; start += 1000) {
        await queue.addBulk(Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({ name: 'email', data: peerEmail(prefix, start + k) })));
      }
      filled += count;
    },
    drain: async () => {
      start();
      while (completed < filled) await new Promise((resolve) => worker.once('completed', resolve));
      await worker.pause(true);
    },
    recover: async () => {
      start();
      while ((await counts()) > 0) await pause(100);
    },
    close: async () => {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      transport.close();
    },
  };
}
