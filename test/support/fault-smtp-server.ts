import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** What the server does wrong with one transaction (or the connection it is on). */
export type SmtpFault =
  /** Reads the whole message, then closes the connection without answering the final dot. */
  | { kind: 'drop-after-dot' }
  /** Stops reading after `afterBytes` bytes of DATA and never answers. */
  | { kind: 'stall-in-data'; afterBytes: number }
  /** Answers MAIL FROM with `421 4.7.0 …` and closes the connection. */
  | { kind: 'reply-421-at-mail' }
  /** Closes the connection without a word when MAIL FROM arrives (an idle timeout crossing the client's command). */
  | { kind: 'close-at-mail' }
  /** Reads the message at `bytesPerSecond`. */
  | { kind: 'slow-reader'; bytesPerSecond: number };

/** Where a transaction is: which connection, its place on it, and its place overall. */
export interface TransactionPlace {
  /** 1 for the first connection accepted. */
  connection: number;
  /** 1 for the first MAIL FROM on this connection. */
  onConnection: number;
  /** 1 for the first MAIL FROM the server got. */
  overall: number;
}

/** Options of {@link startFaultSmtpServer}. */
export interface FaultSmtpServerOptions {
  /** The fault, if any, for each transaction. @default none */
  fault?: (place: TransactionPlace) => SmtpFault | undefined;
  /** Offer STARTTLS with this certificate. @default no STARTTLS */
  tls?: { key: string; cert: string };
  /** Answer STARTTLS with 220, then bytes that are not TLS (a broken handshake). @default false */
  brokenTls?: boolean;
  /** Close a connection left idle this long after a transaction (the server's idle timeout). @default never */
  idleCloseMs?: number;
}

/** A message the server accepted (or, with `drop-after-dot`, received in full without answering). */
export interface FaultServerMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  /** False when the server dropped the connection instead of answering the final dot. */
  answered: boolean;
}

/** A running fault-injecting server. */
export interface FaultSmtpServer {
  port: number;
  /** Every message received in full, in order. */
  messages: FaultServerMessage[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const END_OF_DATA = Buffer.from('\r\n.\r\n');

/**
 * A real SMTP server on 127.0.0.1 (a plain `net` socket server speaking the protocol
 * line by line, not a library) that misbehaves as told: drops the connection after the
 * final dot, stalls mid-DATA, answers 421 mid-session, closes pooled connections, breaks
 * the TLS handshake or presents a given (e.g. expired) certificate, reads slowly.
 */
export async function startFaultSmtpServer(options: FaultSmtpServerOptions = {}): Promise<FaultSmtpServer> {
  const messages: FaultServerMessage[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let overall = 0;

  const server = createServer((raw) => {
    connections += 1;
    const connection = connections;
    let onConnection = 0;
    let socket: Socket = raw;
    let secure = false;
    let text = '';
    let envelope = { mailFrom: '', rcptTo: [] as string[] };
    let data: Buffer[] | undefined;
    let fault: SmtpFault | undefined;
    let idle: NodeJS.Timeout | undefined;
    sockets.add(raw);
    raw.on('close', () => {
      sockets.delete(raw);
      clearTimeout(idle);
    });
    raw.on('error', () => undefined);

    const reply = (line: string): void => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    const waitIdle = (): void => {
      if (options.idleCloseMs !== undefined) idle = setTimeout(() => socket.end(), options.idleCloseMs);
    };

    // The message so far: its chunks, their length, and its last bytes (where the end of DATA may begin).
    let dataLength = 0;
    let tail = Buffer.alloc(0);
    const onDataBytes = (chunk: Buffer): void => {
      const parts = data as Buffer[];
      parts.push(chunk);
      dataLength += chunk.length;
      if (fault?.kind === 'stall-in-data' && dataLength >= fault.afterBytes) {
        socket.pause(); // the client's writes fill the buffers, and nothing is ever answered
        socket.removeListener('data', onData);
        return;
      }
      if (fault?.kind === 'slow-reader') {
        socket.pause();
        setTimeout(() => socket.resume(), (chunk.length / fault.bytesPerSecond) * 1000);
      }
      const window = Buffer.concat([tail, chunk]);
      const at = window.indexOf(END_OF_DATA);
      if (at < 0) {
        tail = window.subarray(Math.max(0, window.length - END_OF_DATA.length + 1));
        return;
      }
      const end = dataLength - window.length + at;
      const received = Buffer.concat(parts);
      data = undefined;
      dataLength = 0;
      tail = Buffer.alloc(0);
      const message = { ...envelope, raw: received.subarray(0, end + 2), answered: fault?.kind !== 'drop-after-dot' };
      messages.push(message);
      if (fault?.kind === 'drop-after-dot') {
        socket.destroy();
        return;
      }
      reply(`250 2.0.0 Ok: queued as ${messages.length}`);
      envelope = { mailFrom: '', rcptTo: [] };
      waitIdle();
      const rest = received.subarray(end + END_OF_DATA.length);
      if (rest.length > 0) onData(rest);
    };

    const command = (line: string): void => {
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') {
        const extensions = ['SIZE 52428800', '8BITMIME', ...((options.tls !== undefined || options.brokenTls === true) && !secure ? ['STARTTLS'] : [])];
        socket.write(['250-fault.test greets you', ...extensions.slice(0, -1).map((e) => `250-${e}`), `250 ${extensions.at(-1)}`].join('\r\n') + '\r\n');
      } else if (verb === 'HELO') reply('250 fault.test');
      else if (verb === 'STARTTLS') {
        reply('220 2.0.0 Ready to start TLS');
        if (options.brokenTls === true) {
          socket.end('this is not a TLS handshake\r\n');
          return;
        }
        socket.removeListener('data', onData);
        socket = new TLSSocket(socket, { isServer: true, key: options.tls!.key, cert: options.tls!.cert });
        socket.on('error', () => undefined);
        socket.on('data', onData);
        secure = true;
      } else if (verb === 'MAIL') {
        clearTimeout(idle);
        onConnection += 1;
        overall += 1;
        fault = options.fault?.({ connection, onConnection, overall });
        if (fault?.kind === 'reply-421-at-mail') {
          socket.end('421 4.7.0 Too many messages on this connection, closing transmission channel\r\n');
          return;
        }
        if (fault?.kind === 'close-at-mail') {
          socket.destroy();
          return;
        }
        envelope = { mailFrom: /<([^>]*)>/.exec(line)?.[1] ?? '', rcptTo: [] };
        reply('250 2.1.0 Ok');
      } else if (verb === 'RCPT') {
        envelope.rcptTo.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        reply('250 2.1.5 Ok');
      } else if (verb === 'DATA') {
        data = [];
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'RSET' || verb === 'NOOP') reply('250 2.0.0 Ok');
      else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
      else reply('502 5.5.2 Command not recognized');
    };

    function onData(chunk: Buffer): void {
      if (data !== undefined) {
        onDataBytes(chunk);
        return;
      }
      text += chunk.toString('latin1');
      for (let end = text.indexOf('\r\n'); end >= 0 && data === undefined; end = text.indexOf('\r\n')) {
        const line = text.slice(0, end);
        text = text.slice(end + 2);
        command(line);
      }
      // Bytes after DATA's line (a pipelining client) belong to the message.
      if (data !== undefined && text.length > 0) {
        const rest = Buffer.from(text, 'latin1');
        text = '';
        onDataBytes(rest);
      }
    }

    raw.on('data', onData);
    reply('220 fault.test ESMTP ready');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
