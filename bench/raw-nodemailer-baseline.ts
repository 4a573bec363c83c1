import nodemailer from 'nodemailer';

/**
 * The baseline for throughput: a plain pooled nodemailer transport sending
 * the same small emails to the same sink, with no history, queue or throttle.
 * Returns emails per second.
 */
export async function rawNodemailerRate(port: number, count: number, concurrency: number): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      await transport.sendMail({
        from: 'Batch <batch@contoso.com>',
        to: `customer${i}@example.com`,
        subject: `Invoice ${i}`,
        text: `Hello, your invoice ${i} is ready.`,
        messageId: `<raw-${i}@contoso.com>`,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  transport.close();
  return count / seconds;
}
