import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A refusal the demo sink scripts for one MAIL FROM address. */
export interface SinkRefusal {
  from: string;
  code: number;
  message: string;
}

/** A running demo sink. */
export interface DemoSmtpSink {
  port: number;
  /** Number of messages accepted so far. */
  received(): number;
  close(): Promise<void>;
}

/**
 * A local SMTP server for the quickstart: accepts everything except the
 * scripted senders, which it refuses the way Exchange Online does.
 * Demo only — it keeps no mail.
 */
export async function startDemoSmtpSink(refusals: SinkRefusal[] = []): Promise<DemoSmtpSink> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'mailwright demo sink',
    // A local sink: no reverse DNS lookup of each client (it delays every new connection).
    disableReverseLookup: true,
    logger: false,
    onMailFrom(address, _session, callback) {
      const refusal = refusals.find((r) => r.from.toLowerCase() === address.address.toLowerCase());
      if (refusal === undefined) return callback();
      const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
      return callback(error);
    },
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count += 1;
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
