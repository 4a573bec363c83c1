import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock/manual-clock.js';
import { InMemoryRecordJournal } from '../../../src/forwarding/in-memory-record-journal.js';
import { createMailwright, type Mailwright } from '../../../src/mailwright.js';
import { smtpProvider } from '../../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type ReceivedMessage, type SmtpTestServer } from '../../support/smtp-test-server.js';

const AUTH = { username: 'relay@contoso.com', password: 'relay-password-1' };

/** A mailwright with a real SMTP relay as batch provider, a SQLite file and a manual clock. */
export interface InboundHarness {
  mailwright: Mailwright;
  server: SmtpTestServer;
  clock: ManualClock;
  /** The journal of record forwards (agent `ana`, through the relay). */
  journal: InMemoryRecordJournal;
  /** Processes `message` in `mailbox`, sends what it queued, and returns the result with the messages the relay received meanwhile. */
  deliver(mailbox: string, message: Buffer | string): Promise<{ result: Awaited<ReturnType<Mailwright['processInbound']>>; sent: ReceivedMessage[] }>;
  close(): Promise<void>;
}

/** Starts the relay and a mailwright whose organization is contoso.com. */
export async function startInboundHarness(): Promise<InboundHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-inbound-'));
  const server = await startSmtpTestServer({ auth: AUTH });
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  const journal = new InMemoryRecordJournal();
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dir, 'mailwright.db'), clock }),
    providers: [
      smtpProvider({
        id: 'relay',
        settings: { host: '127.0.0.1', port: server.port, username: AUTH.username, password: AUTH.password, ca: server.certificate, servername: 'localhost' },
      }),
    ],
    users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', displayName: 'Ana' }]),
    clock,
    forwarding: { providerId: 'relay', journal },
  });
  await mailwright.parameters.update({ batchProviderId: 'relay' });
  await mailwright.forwardingPolicy.update({ acceptedDomains: ['contoso.com'] });
  return {
    mailwright,
    server,
    clock,
    journal,
    async deliver(mailbox, message) {
      const before = server.messages.length;
      const result = await mailwright.processInbound({ mailbox, message });
      await mailwright.distributor.runOnce();
      return { result, sent: server.messages.slice(before) };
    },
    async close() {
      await mailwright.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An RFC 5322 message as it arrives from outside, CRLF line ends; `headers` are raw lines added after the usual ones. */
export function arriving(options: { from?: string; to?: string; subject?: string; messageId?: string; headers?: string[]; body?: string } = {}): Buffer {
  return Buffer.from(
    [
      `From: ${options.from ?? 'Customer <customer@example.com>'}`,
      `To: ${options.to ?? 'Contoso Support <support@contoso.com>'}`,
      `Subject: ${options.subject ?? 'Invoice 42 overdue'}`,
      `Message-ID: ${options.messageId ?? `<${Math.random().toString(36).slice(2)}@example.com>`}`,
      'Date: Wed, 25 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      ...(options.headers ?? []),
      '',
      options.body ?? 'Please pay invoice 42.',
      '',
    ].join('\r\n'),
  );
}

/** A header of a received message, as mailparser reads it. */
export const headerOf = (message: ReceivedMessage, name: string): unknown => message.parsed.headers.get(name.toLowerCase());
