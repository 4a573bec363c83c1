import { ErrorCodes } from '../../errors/error-codes.js';
import { domainOf, parseAddress } from '../../message/address.js';
import type { Address } from '../../message/message.js';
import { mailboxKey, type ForwardingPolicy, type MailboxForwarding } from './forwarding-policy.js';
import type { InboundEmail } from './inbound-email.js';
import { domainCovers, domainKey, remoteDomainFor, type RemoteDomain } from './remote-domains.js';
import { ruleApplies } from './rule-matcher.js';

/** How a forward is made: the original redirected as it is, a new "FW:" message, or the original attached. */
export type ForwardStyle = 'redirect' | 'forward' | 'forward-as-attachment';

/** What asked for a forward. */
export type ForwardSource =
  | { kind: 'forwarding-smtp-address' }
  | { kind: 'forwarding-contact'; contactId: string }
  | { kind: 'inbox-rule'; rule: string };

/** Recipients a forward may not go to, why, and what an administrator can do. */
export interface BlockedRecipients {
  /** MW_FORWARDING_BLOCKED (remote domain policy) or MW_FORWARDING_CONTACT_NOT_FOUND. */
  code: typeof ErrorCodes.FORWARDING_BLOCKED | typeof ErrorCodes.FORWARDING_CONTACT_NOT_FOUND;
  /** Why they are blocked, in plain language. */
  reason: string;
  /** What an administrator can do about it. */
  fix: string;
  /** The blocked recipients (empty when the forwarding contact is missing). */
  recipients: Address[];
}

/** One forward the policy asks for. */
export interface PlannedForward {
  /** What asked for the forward (mailbox forwarding or an inbox rule). */
  source: ForwardSource;
  /** How the forward is made. */
  style: ForwardStyle;
  /** Stamped as automatically forwarded; remote domain policy applies to stamped forwards only. */
  stamped: boolean;
  /** Recipients it goes to (may be empty when all are blocked). */
  to: Address[];
  /** Recipients it may not go to, grouped by reason. */
  blocked: BlockedRecipients[];
}

/** What the policy does with one received message. */
export interface ForwardingPlan {
  /** Keep the message in the mailbox. */
  deliverToMailbox: boolean;
  /** The forwards to make: mailbox forwarding first, then inbox rules. */
  forwards: PlannedForward[];
}

/** Facts {@link planForwards} decides on. */
export interface PlanInput {
  /** The organization's accepted domains and remote domain settings. */
  policy: Pick<ForwardingPolicy, 'acceptedDomains' | 'remoteDomains'>;
  /** The forwarding settings of the mailbox the message arrived in. */
  mailbox: MailboxForwarding;
  /** The received message (`automated`: inbox rules do not run on it; @default false). */
  message: Pick<InboundEmail, 'from' | 'to' | 'cc' | 'subject' | 'text' | 'html' | 'attachments' | 'ruleLoopMailboxes'> & Partial<Pick<InboundEmail, 'automated'>>;
  /** The forwarding contact's address; `null` when `forwardingContactId` names nobody. */
  contact?: Address | null;
}

/** Inbox rule actions that forward, with the style of forward each makes. */
export const RULE_ACTIONS = [
  ['redirectTo', 'redirect'],
  ['forwardTo', 'forward'],
  ['forwardAsAttachmentTo', 'forward-as-attachment'],
] as const;

const toAddresses = (recipients: readonly string[]): Address[] => recipients.map((r) => parseAddress(r, 'recipient'));

/** What the policy says of one automatically forwarded (stamped) recipient. */
export interface RecipientVerdict {
  /** The recipient's domain, lower-cased, in ASCII (IDNA). */
  domain: string;
  /** In the organization's accepted domains (never blocked). */
  internal: boolean;
  /** The remote domain entry that governs it. */
  remote: RemoteDomain;
  /** A stamped forward may go to it. */
  allowed: boolean;
}

/** The remote domain policy's verdict on one recipient of a stamped forward. */
export function recipientVerdict(address: string, policy: PlanInput['policy']): RecipientVerdict {
  const domain = domainKey(domainOf(address));
  const internal = policy.acceptedDomains.some((accepted) => domainCovers(domainKey(accepted), domain));
  const remote = remoteDomainFor(domain, policy.remoteDomains);
  return { domain, internal, remote, allowed: internal || remote.autoForwardEnabled };
}

/** Splits a stamped forward's recipients into allowed and blocked by the remote domain policy. */
export function screenRecipients(recipients: Address[], policy: PlanInput['policy']): Pick<PlannedForward, 'to' | 'blocked'> {
  const to: Address[] = [];
  const blocked = new Map<string, Address[]>();
  for (const recipient of recipients) {
    const { domain, remote, allowed } = recipientVerdict(recipient.address, policy);
    if (allowed) {
      to.push(recipient);
      continue;
    }
    const reason = `Automatic forwarding to ${domain} is not allowed: remote domain "${remote.domain}" has auto-forward disabled`;
    blocked.set(reason, [...(blocked.get(reason) ?? []), recipient]);
  }
  const fix = 'Allow auto-forwarding for that remote domain in the forwarding policy, or forward the message by hand.';
  return { to, blocked: [...blocked].map(([reason, list]) => ({ code: ErrorCodes.FORWARDING_BLOCKED, reason, fix, recipients: list })) };
}

/** A forward stopped because the mailbox already forwarded this message (it came back round). */
const loopBlocked = (mailbox: MailboxForwarding, recipients: Address[]): BlockedRecipients => ({
  code: ErrorCodes.FORWARDING_BLOCKED,
  reason: `Forwarding loop: ${mailbox.address} already forwarded this message, and it came back; it was kept in the mailbox`,
  fix: 'Change the mailbox forwarding or inbox rules so that mailboxes do not forward to each other in a circle.',
  recipients,
});

/** The mailbox-level forward (ForwardingAddress or ForwardingSmtpAddress), if any. */
function mailboxForward({ policy, mailbox, contact }: PlanInput, looped: boolean): PlannedForward | undefined {
  if (looped && (mailbox.forwardingContactId !== undefined || mailbox.forwardingSmtpAddress !== undefined)) {
    const source = mailbox.forwardingContactId !== undefined ? ({ kind: 'forwarding-contact', contactId: mailbox.forwardingContactId } as const) : ({ kind: 'forwarding-smtp-address' } as const);
    const recipients = mailbox.forwardingContactId !== undefined ? (contact ? [contact] : []) : toAddresses([mailbox.forwardingSmtpAddress!]);
    return { source, style: 'redirect', stamped: source.kind === 'forwarding-smtp-address', to: [], blocked: [loopBlocked(mailbox, recipients)] };
  }
  if (mailbox.forwardingContactId !== undefined) {
    const source = { kind: 'forwarding-contact', contactId: mailbox.forwardingContactId } as const;
    if (contact === undefined || contact === null) {
      const reason = `The forwarding contact "${mailbox.forwardingContactId}" is not in the directory, or has no valid email address; the message was kept in the mailbox`;
      const fix = 'Create the contact again (with a valid email address), or point the mailbox forwarding at another contact or SMTP address.';
      return { source, style: 'redirect', stamped: false, to: [], blocked: [{ code: ErrorCodes.FORWARDING_CONTACT_NOT_FOUND, reason, fix, recipients: [] }] };
    }
    return { source, style: 'redirect', stamped: false, to: [contact], blocked: [] };
  }
  if (mailbox.forwardingSmtpAddress === undefined) return undefined;
  return { source: { kind: 'forwarding-smtp-address' }, style: 'redirect', stamped: true, ...screenRecipients(toAddresses([mailbox.forwardingSmtpAddress]), policy) };
}

/**
 * Decides, without side effects, what Exchange-style automatic forwarding does
 * with a message that arrived in a mailbox:
 * - mailbox forwarding first: to a contact (a redirect, not stamped) or to any
 *   SMTP address (a redirect, stamped); without DeliverToMailboxAndForward the
 *   message is not kept, unless the forward could go nowhere (never lost);
 * - then, for a message kept in the mailbox and sent by a person (not
 *   `automated`), its enabled inbox rules in sequence order, until one that
 *   matches says stop; their forwards are stamped;
 * - a stamped forward to a domain outside the organization goes only where the
 *   remote domain allows auto-forwarding; the other recipients are blocked, with the reason;
 * - a message the mailbox already forwarded (its address in the loop header, which
 *   every automatic forward carries) is not forwarded again, by its rules or its
 *   mailbox forwarding: it is kept, and the forward recorded as blocked (a loop).
 */
export function planForwards(input: PlanInput): ForwardingPlan {
  const { mailbox, message, policy } = input;
  const looped = message.ruleLoopMailboxes.includes(mailboxKey(mailbox.address));
  const forwards: PlannedForward[] = [];
  const atMailbox = mailboxForward(input, looped);
  if (atMailbox !== undefined) forwards.push(atMailbox);
  const deliverToMailbox = atMailbox === undefined || input.mailbox.deliverToMailboxAndForward || atMailbox.to.length === 0;
  if (!deliverToMailbox) return { deliverToMailbox, forwards };

  // No inbox rule runs on a message a system sent (an auto-reply, a record forward): it would start loops and storms.
  const inboxRules = message.automated === true ? [] : mailbox.inboxRules;
  const rules = inboxRules.map((rule, index) => ({ rule, index })).sort((a, b) => a.rule.sequence - b.rule.sequence || a.index - b.index);
  for (const { rule } of rules) {
    if (!ruleApplies(rule, message)) continue;
    for (const [action, style] of RULE_ACTIONS) {
      const recipients = toAddresses(rule.actions[action]);
      if (recipients.length === 0) continue;
      const source = { kind: 'inbox-rule', rule: rule.name } as const;
      if (looped) {
        forwards.push({ source, style, stamped: true, to: [], blocked: [loopBlocked(mailbox, recipients)] });
      } else {
        forwards.push({ source, style, stamped: true, ...screenRecipients(recipients, policy) });
      }
    }
    if (rule.actions.stopProcessingRules) break;
  }
  return { deliverToMailbox, forwards };
}
