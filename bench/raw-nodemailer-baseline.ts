import nodemailer from 'nodemailer';
import { concurrentRate, smallEmail, type RateBench } from './concurrent-rate.js';

/**
 * The baseline for throughput: a plain pooled nodemailer transport sending the
 * same small emails to the same sink, with no history, queue or throttle. The
 * pool lives across rounds, as the distributor's connections do (the sink,
 * smtp-server, waits 100 ms before greeting each new connection).
 */
export function rawNodemailerBench(port: number, count: number, concurrency: number): RateBench {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
  return {
    rate: () => concurrentRate(count, concurrency, (i) => transport.sendMail({ ...smallEmail(i), messageId: `<raw-${i}@contoso.com>` })),
    close: async () => transport.close(),
  };
}
