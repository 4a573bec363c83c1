import type { ForwardingAuditEntry } from './forwarding-audit.js';

const SOURCE_LABELS = {
  'forwarding-smtp-address': 'forwards every message (ForwardingSmtpAddress)',
  'forwarding-contact': 'forwards every message to a contact (ForwardingAddress)',
} as const;

/** One audit entry as a line an administrator reads. */
export function formatAuditEntry(entry: ForwardingAuditEntry): string {
  const what = entry.source.kind === 'inbox-rule' ? `rule "${entry.source.rule}" (${entry.style}${entry.enabled ? '' : ', disabled'})` : SOURCE_LABELS[entry.source.kind];
  const targets = entry.targets.map((t) => `${t.address}${t.external ? '' : ' (internal)'}${t.allowed ? '' : ' [BLOCKED by remote domain]'}`).join(', ');
  const extras = [
    entry.deliverToMailboxAndForward === true ? 'keeps a copy' : entry.deliverToMailboxAndForward === false ? 'keeps no copy' : '',
    entry.exchangeRecipients !== undefined ? `Exchange recipients (inside): ${entry.exchangeRecipients.join(', ')}` : '',
    entry.problem ?? '',
    entry.unsupported !== undefined ? `also: ${entry.unsupported.join(', ')}` : '',
  ].filter((s) => s !== '');
  const origin = entry.imported !== undefined ? `import: ${entry.imported.name} row ${entry.imported.row}` : entry.origin;
  return `${entry.mailbox} [${origin}] ${what} -> ${targets || '(nobody)'}${extras.length > 0 ? `; ${extras.join('; ')}` : ''}`;
}
