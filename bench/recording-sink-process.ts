import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// An SMTP sink in its own process for the peer benchmarks: it accepts every message, holds the
// answer to DATA for `latencyMs` (a remote server's latency), and counts the deliveries of each
// recipient, so that a crash test can tell emails sent twice from emails never sent.
// Protocol (IPC): it sends { port } once listening; { type: 'count', prefix } answers
// { delivered, distinct, duplicates } for the recipients starting with prefix.

const latencyMs = Number(process.env.SINK_LATENCY_MS ?? 0);
const deliveries = new Map<string, number>();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true,
  logger: false,
  // Many senders at once (4 workers × 4 connections, plus a crashed worker's sockets).
  maxClients: 1000,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      for (const { address } of session.envelope.rcptTo) deliveries.set(address, (deliveries.get(address) ?? 0) + 1);
      if (latencyMs > 0) setTimeout(callback, latencyMs);
      else callback();
    });
  },
});

// A killed sender resets its connections: not an error of the sink.
server.on('error', () => undefined);
server.listen(0, '127.0.0.1');
await once(server.server, 'listening');
process.send?.({ port: (server.server.address() as AddressInfo).port });

process.on('message', (message: { type: 'count'; prefix: string }) => {
  let delivered = 0;
  let distinct = 0;
  for (const [address, times] of deliveries) {
    if (!address.startsWith(message.prefix)) continue;
    delivered += times;
    distinct += 1;
  }
  process.send?.({ delivered, distinct, duplicates: delivered - distinct });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
