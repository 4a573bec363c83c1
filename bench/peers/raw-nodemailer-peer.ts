import nodemailer from 'nodemailer';
import { peerEmail, type PeerConfig, type PeerSender } from './peer-sender.js';

/**
 * The baseline: nodemailer's pooled transport sending straight to the sink, `concurrency`
 * sends in flight over as many connections, nothing stored. A crash loses whatever was not
 * sent yet (there is nothing to recover from).
 */
export function rawNodemailerPeer({ port, concurrency }: PeerConfig): PeerSender {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
  let pending: ReturnType<typeof peerEmail>[] = [];
  return {
    fill: async (prefix, count) => {
      pending = Array.from({ length: count }, (_, i) => peerEmail(prefix, i));
    },
    drain: async () => {
      const emails = pending;
      pending = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let index = next++; index < emails.length; index = next++) await transport.sendMail(emails[index] as (typeof emails)[number]);
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    },
    recover: async () => undefined,
    close: async () => transport.close(),
  };
}
