import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createMailwright,
  createSqliteStore,
  encodeMessageToBuffer,
  formatAuditEntry,
  InMemoryUserDirectory,
  smtpProvider,
  type EmailRecord,
  type InboundResult,
} from '../src/index.js';
import { startDemoSmtpSink } from './support/demo-smtp-sink.js';

/** What the automatic forwarding demo did. */
export interface AutoForwardDemoResult {
  inbound: InboundResult;
  /** The history records of the forwards, after the distributor ran. */
  history: EmailRecord[];
  audit: string[];
  accepted: number;
}

/**
 * Sets an Exchange-style forwarding policy on support@contoso.com (a rule that
 * forwards invoices to a partner, one that redirects everything to a personal
 * address, remote domains blocking all but the partner), lets a customer's
 * email arrive, sends the allowed forward to a local SMTP server, and shows
 * the blocked one in the history and the admin audit.
 */
export async function runAutoForwardDemo(dataDir: string, log: (line: string) => void = () => undefined): Promise<AutoForwardDemoResult> {
  await mkdir(dataDir, { recursive: true });
  // A fresh history each run: the same message processed again would (rightly) forward nothing new.
  const filename = join(dataDir, 'auto-forward.db');
  for (const suffix of ['', '-wal', '-shm']) await rm(filename + suffix, { force: true });
  const sink = await startDemoSmtpSink();
  log(`Local SMTP relay on 127.0.0.1:${sink.port}`);
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename }),
    providers: [smtpProvider({ id: 'relay', settings: { host: '127.0.0.1', port: sink.port, requireTls: false, requireAuth: false } })],
    users: new InMemoryUserDirectory([]),
  });
  try {
    await mailwright.parameters.update({ batchProviderId: 'relay' });
    await mailwright.forwardingPolicy.replace({
      acceptedDomains: ['contoso.com'],
      remoteDomains: [{ domain: '*', autoForwardEnabled: false }, { domain: 'partner.example' }],
      mailboxes: [
        {
          address: 'support@contoso.com',
          displayName: 'Contoso Support',
          inboxRules: [
            { name: 'Invoices to the partner', sequence: 1, conditions: { subjectContains: ['invoice'] }, actions: { forwardTo: ['Partner Desk <desk@partner.example>'] } },
            { name: 'Everything to my phone', sequence: 2, actions: { redirectTo: ['someone.personal@gmail.example'] } },
          ],
        },
      ],
    });
    const received = await encodeMessageToBuffer({
      from: { name: 'Customer', address: 'customer@example.org' },
      replyTo: [],
      to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
      cc: [],
      bcc: [],
      subject: 'Invoice 42 is wrong',
      text: 'Invoice 42 charges us twice.',
      headers: {},
      attachments: [{ filename: 'invoice-42.pdf', content: Buffer.alloc(20_000, 0x25), contentType: 'application/pdf' }],
      messageId: '<invoice-42@example.org>',
      date: new Date('2026-11-25T09:00:00Z'),
    });
    const inbound = await mailwright.processInbound({ mailbox: 'support@contoso.com', message: received });
    log(`Keep in the mailbox: ${inbound.deliverToMailbox ? 'yes' : 'no'}`);
    for (const f of inbound.forwards) log(`${f.status.toUpperCase()} ${f.style} to ${f.recipients.join(', ')}${f.reason ? ` — ${f.reason}` : ''}`);
    const run = await mailwright.distributor.runOnce();
    log(`Distributor: sent ${run.sent}`);
    const history: EmailRecord[] = [];
    for (const f of inbound.forwards) history.push((await mailwright.history.get(f.emailId))!);
    const audit = (await mailwright.auditForwarding()).map(formatAuditEntry);
    return { inbound, history, audit, accepted: sink.received() };
  } finally {
    await mailwright.close();
    await sink.close();
  }
}
