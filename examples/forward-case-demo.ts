import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createMailwright,
  createSqliteStore,
  InMemoryRecordJournal,
  InMemoryUserDirectory,
  isMailwrightError,
  smtpProvider,
  type ForwardableRecord,
  type JournalEntry,
} from '../src/index.js';
import { startDemoSmtpSink } from './support/demo-smtp-sink.js';

/** What the forwarding demo did. */
export interface ForwardCaseDemoResult {
  journal: JournalEntry[];
  accepted: number;
}

/** Prints one journal entry as a helpdesk timeline would show it. */
export function formatJournalEntry(entry: JournalEntry): string {
  switch (entry.kind) {
    case 'note':
      return `[${entry.at}] NOTE (email ${entry.emailId}, theme ${entry.themeId}, automation: none)\n${entry.text.trim().replace(/^/gm, '    ')}`;
    case 'timeline':
      return `[${entry.at}] FORWARDED ${entry.recipient.role.toUpperCase()} ${entry.recipient.name ? `${entry.recipient.name} ` : ''}<${entry.recipient.address}>`;
    case 'error':
      return [
        `[${entry.at}] FORWARD FAILED (email ${entry.emailId}, theme ${entry.themeId}): ${entry.failure.code}, ${entry.retry}`,
        `    ${entry.failure.explanation}`,
        `    Server said: ${entry.failure.serverResponse ?? entry.failure.message}`,
        `    Headers:\n${Object.entries(entry.headers).map(([name, value]) => `      ${name}: ${value}`).join('\n')}`,
        `    Fix: ${entry.failure.fix}`,
        `    Transcript:\n${(entry.failure.transcript ?? '').replace(/^/gm, '      ')}`,
      ].join('\n');
  }
}

/**
 * Forwards a helpdesk case (conversation and attachments) to a vendor through
 * a local SMTP server, then forwards it again as an agent the server refuses
 * with 550 5.7.1, and returns the case's journal.
 */
export async function runForwardCaseDemo(dataDir: string, log: (line: string) => void = () => undefined): Promise<ForwardCaseDemoResult> {
  await mkdir(dataDir, { recursive: true });
  const sink = await startDemoSmtpSink([{ from: 'Bob.Stone@contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' }]);
  log(`Local SMTP server (the default outbound mailbox) on 127.0.0.1:${sink.port}`);
  const journal = new InMemoryRecordJournal();
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dataDir, 'forwarding.db') }),
    providers: [smtpProvider({ id: 'helpdesk', settings: { host: '127.0.0.1', port: sink.port, requireTls: false, requireAuth: false, mailbox: 'helpdesk@contoso.com' } })],
    users: new InMemoryUserDirectory([
      { id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez' },
      { id: 'bob', email: 'Bob.Stone@contoso.com', displayName: 'Bob Stone' },
    ]),
    forwarding: { providerId: 'helpdesk', journal },
  });
  const record: ForwardableRecord = {
    id: 'CASE-1042',
    subject: 'Printer on fire',
    conversation: [
      { from: 'Customer <customer@example.com>', sentAt: '2026-11-23 09:12', text: 'The printer on floor 3 is on fire.\nPlease help.' },
      { from: 'Ana María Núñez', sentAt: '2026-11-23 09:20', text: 'Fire brigade called. Forwarding to the vendor.' },
    ],
    attachments: [
      { filename: 'photo.jpg', content: Buffer.alloc(64_000, 0xff), contentType: 'image/jpeg' },
      { filename: 'service-log.txt', content: 'E42 fuser overheat\nE42 fuser overheat\n' },
    ],
  };
  try {
    const sent = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'Vendor Support <support@vendor.example>', comment: 'Please send a technician today.' });
    log(`Forwarded ${record.id} as email ${sent.emailId} (${sent.status}) with ${record.attachments.length} attachments`);
    try {
      await mailwright.forwardRecord({ record, agentUserId: 'bob', to: 'support@vendor.example' });
    } catch (error) {
      if (!isMailwrightError(error)) throw error;
      log(`Bob's forward failed: ${error.code} (${error.permanent ? 'permanent' : 'transient'})`);
    }
    return { journal: journal.entries(record.id), accepted: sink.received() };
  } finally {
    await mailwright.close();
    await sink.close();
  }
}
