import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

// One side of the memory benchmark in a process of its own: `raw` (nodemailer's pooled
// transport) or `mailwright` (SMTP provider, SQLite store, the distributor), sending COUNT
// emails that each attach the same 10 MB file by path, 4 at a time, to the sink on PORT.
// It reports its RSS once set up (before sending) and the peak RSS while sending.
// Usage: memory-process.js <raw|mailwright> <port> <attachment path> <count>

const [side, port, file, count] = [process.argv[2], Number(process.argv[3]), process.argv[4] as string, Number(process.argv[5])];
const CONCURRENCY = 4;
const email = (i: number) => ({ from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `Report ${i}`, text: 'Attached.', attachments: [{ filename: 'report.pdf', path: file }] });

/** Sets the sender up; returns how to send everything and how to close. */
async function setUp(dir: string): Promise<{ send(): Promise<number>; close(): Promise<void> }> {
  if (side === 'raw') {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONCURRENCY, maxMessages: Infinity });
    return {
      send: async () => {
        let next = 0;
        const worker = async (): Promise<void> => {
          for (let i = next++; i < count; i = next++) await transport.sendMail(email(i));
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return count;
      },
      close: async () => transport.close(),
    };
  }
  // What an application sending through SMTP imports: the package entry point.
  const { createMailwright, createSqliteStore, smtpProvider, InMemoryUserDirectory } = await import('../src/index.js');
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dir, 'memory.db') }),
    providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false }, maxConnections: CONCURRENCY })],
    users: new InMemoryUserDirectory(),
  });
  await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 }, attachmentSizeLimitBytes: 50 * 1024 * 1024 });
  return {
    send: async () => {
      for (let i = 0; i < count; i += 1) await mailwright.enqueue(email(i));
      return (await mailwright.createDistributor({ concurrency: CONCURRENCY }).runOnce()).sent;
    },
    close: () => mailwright.close(),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'mw-bench-mem-'));
try {
  const sender = await setUp(dir);
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const sent = await sender.send();
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await sender.close();
  process.send?.({ startRss, peakRss, sent });
} finally {
  await rm(dir, { recursive: true, force: true });
}
