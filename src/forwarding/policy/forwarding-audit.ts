import { parseAddress } from '../../message/address.js';
import type { Address } from '../../message/message.js';
import type { ForwardingPolicy, MailboxForwarding } from './forwarding-policy.js';
import type { InboxRule } from './inbox-rule.js';
import type { ExportRows } from './exchange-export.js';
import { importedEntries, type ImportSource } from './imported-forwarding.js';
import type { MailboxInboxRules } from './mailbox-inbox-rules.js';
import { RULE_ACTIONS, type ForwardSource, type ForwardStyle } from './plan-forwards.js';
import { auditTargets, type AuditPolicy, type AuditTarget } from './audit-targets.js';

/** A mailbox setting or inbox rule that forwards outside the organization. */
export interface ForwardingAuditEntry {
  /** The mailbox's address (for an imported rule without one, the rule's MailboxOwnerId). */
  mailbox: string;
  /**
   * `policy`: mailwright's forwarding policy; `server`: a rule read from the mailbox on the
   * server (Graph); `import`: a row of an exported Get-Mailbox or Get-InboxRule output.
   */
  origin: 'policy' | 'server' | 'import';
  /** `import`: the export, cmdlet and row the entry was read from. */
  imported?: ImportSource;
  /** What forwards: mailbox forwarding (SMTP address or contact) or an inbox rule. */
  source: ForwardSource;
  /** How it forwards (redirect, forward or forward as attachment). */
  style: ForwardStyle;
  /** The inbox rule is enabled (always true for mailbox forwarding). */
  enabled: boolean;
  /** Stamped as auto-forwarded, so remote domain policy applies. */
  stamped: boolean;
  /** Mailbox forwarding: a copy stays in the mailbox. */
  deliverToMailboxAndForward?: boolean;
  /** The addresses it forwards to. */
  targets: AuditTarget[];
  /** Something an administrator must fix (e.g. the forwarding contact no longer exists). */
  problem?: string;
  /** Server and imported rules: parts of the rule mailwright does not model. */
  unsupported?: string[];
  /** Imported rules: recipients Exchange names by X.500 address (inside the organization), whose SMTP address the export does not give. */
  exchangeRecipients?: string[];
}

function ruleEntries(mailbox: string, rules: readonly (InboxRule & { unsupported?: string[] })[], origin: ForwardingAuditEntry['origin'], policy: AuditPolicy): ForwardingAuditEntry[] {
  return rules.flatMap((rule) =>
    RULE_ACTIONS.filter(([action]) => rule.actions[action].length > 0).map(([action, style]) => ({
      mailbox,
      origin,
      source: { kind: 'inbox-rule', rule: rule.name } as const,
      style,
      enabled: rule.enabled,
      stamped: true,
      targets: auditTargets(
        rule.actions[action].map((r) => parseAddress(r, 'rule')),
        true,
        policy,
      ),
      ...(rule.unsupported !== undefined && rule.unsupported.length > 0 ? { unsupported: rule.unsupported } : {}),
    })),
  );
}

function mailboxEntry(mailbox: MailboxForwarding, contact: Address | undefined, policy: AuditPolicy): ForwardingAuditEntry | undefined {
  const common = { mailbox: mailbox.address, origin: 'policy', style: 'redirect', enabled: true, deliverToMailboxAndForward: mailbox.deliverToMailboxAndForward } as const;
  if (mailbox.forwardingContactId !== undefined) {
    const source = { kind: 'forwarding-contact', contactId: mailbox.forwardingContactId } as const;
    if (contact === undefined) return { ...common, source, stamped: false, targets: [], problem: `The forwarding contact "${mailbox.forwardingContactId}" is not in the directory, or has no valid email address` };
    return { ...common, source, stamped: false, targets: auditTargets([contact], false, policy) };
  }
  if (mailbox.forwardingSmtpAddress === undefined) return undefined;
  return { ...common, source: { kind: 'forwarding-smtp-address' }, stamped: true, targets: auditTargets([parseAddress(mailbox.forwardingSmtpAddress, 'forwardingSmtpAddress')], true, policy) };
}

/** What {@link auditForwarding} looks at. */
export interface AuditInput {
  policy: ForwardingPolicy;
  /** Forwarding contacts' addresses by id (missing: not in the directory, or no valid email). */
  contacts: ReadonlyMap<string, Address>;
  /** Inbox rules read from mailboxes on the server. @default [] */
  serverRules?: readonly MailboxInboxRules[];
  /** Exports of Get-Mailbox and Get-InboxRule, read (their ForwardingAddress values resolved through `contacts`). @default [] */
  imported?: readonly ExportRows[];
  /** List forwards that stay inside the organization too. @default false */
  includeInternal?: boolean;
}

/**
 * Every mailbox setting and inbox rule, of the policy and read from the
 * server, that forwards outside the organization (or has a problem), with
 * whether each target is reached under the current remote domain policy.
 * Disabled rules are listed too (`enabled: false`): enabling them is one click.
 */
export function auditForwarding(input: AuditInput): ForwardingAuditEntry[] {
  const { policy } = input;
  const entries: ForwardingAuditEntry[] = [];
  for (const mailbox of policy.mailboxes) {
    const contact = mailbox.forwardingContactId === undefined ? undefined : input.contacts.get(mailbox.forwardingContactId);
    const entry = mailboxEntry(mailbox, contact, policy);
    if (entry !== undefined) entries.push(entry);
    entries.push(...ruleEntries(mailbox.address, mailbox.inboxRules, 'policy', policy));
  }
  for (const read of input.serverRules ?? []) entries.push(...ruleEntries(read.mailbox, read.rules, 'server', policy));
  entries.push(...importedEntries(input.imported ?? [], policy, input.contacts));
  return input.includeInternal === true ? entries : entries.filter((e) => e.problem !== undefined || e.targets.some((t) => t.external));
}
