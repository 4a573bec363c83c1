import { ErrorCodes } from '../../errors/error-codes.js';
import { domainOf, parseAddress } from '../../message/address.js';
import type { Address } from '../../message/message.js';
import type { ForwardingPolicy, MailboxForwarding } from './forwarding-policy.js';
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

/**
 * Why recipients are blocked: the remote domain policy, a loop (the mailbox already forwarded
 * the message), too many automatic forwards (`inbound.maxForwardHops`), or a missing forwarding contact.
 */
export type BlockCause = 'remote-domain' | 'loop' | 'hops' | 'contact-missing';

/** Recipients a forward may not go to, why, and what an administrator can do. */
export interface BlockedRecipients {
  /** MW_FORWARDING_BLOCKED (remote domain policy, loop, hops) or MW_FORWARDING_CONTACT_NOT_FOUND. */
  code: typeof ErrorCodes.FORWARDING_BLOCKED | typeof ErrorCodes.FORWARDING_CONTACT_NOT_FOUND;
  /** Why, as a value to decide on. */
  cause: BlockCause;
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

/**
 * What the organization's own signed mark on a message says (see `readMark`). A message
 * from outside has none: its headers, forged or not, decide nothing.
 */
export interface MarkFacts {
  /** The mailbox the message arrived in already forwarded it automatically (it came back round). */
  alreadyForwarded: boolean;
  /** How many automatic forwards of the organization the message went through. */
  hops: number;
  /** It is a record forward of the organization's (`forwardRecord`): no inbox rule runs on it. */
  recordForward: boolean;
}

/** Facts {@link planForwards} decides on. */
export interface PlanInput {
  /**
   * The organization's accepted domains and remote domain settings; `inbound.maxForwardHops`
   * (@default 10) and `onBlockedForward` (@default 'keep') when given.
   */
  policy: Pick<ForwardingPolicy, 'acceptedDomains' | 'remoteDomains'> & Partial<Pick<ForwardingPolicy, 'inbound' | 'onBlockedForward'>>;
  /** The forwarding settings of the mailbox the message arrived in. */
  mailbox: MailboxForwarding;
  /** The received message. */
  message: Pick<InboundEmail, 'from' | 'to' | 'cc' | 'subject' | 'text' | 'html' | 'attachments'>;
  /** What the message's trusted mark says. @default none: { alreadyForwarded: false, hops: 0, recordForward: false } */
  mark?: MarkFacts;
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
  return { to, blocked: [...blocked].map(([reason, list]) => ({ code: ErrorCodes.FORWARDING_BLOCKED, cause: 'remote-domain' as const, reason, fix, recipients: list })) };
}

/** Why the message may not be forwarded automatically any more, whatever the recipients. */
type Stop = Pick<BlockedRecipients, 'cause' | 'reason' | 'fix'>;

/** A forward stopped because the message came back round, or went through too many automatic forwards. */
function stopOf(mailbox: MailboxForwarding, mark: MarkFacts, maxHops: number): Stop | undefined {
  if (mark.alreadyForwarded) {
    return {
      cause: 'loop',
      reason: `Forwarding loop: ${mailbox.address} already forwarded this message, and it came back; it was kept in the mailbox`,
      fix: 'Change the mailbox forwarding or inbox rules so that mailboxes do not forward to each other in a circle.',
    };
  }
  if (mark.hops < maxHops) return undefined;
  return {
    cause: 'hops',
    reason: `Too many automatic forwards: the message was already forwarded automatically ${mark.hops} times (the limit is ${maxHops}); it was kept in the mailbox`,
    fix: 'Shorten the chain of mailboxes forwarding to each other, or raise inbound.maxForwardHops in the forwarding policy.',
  };
}

const stopped = (stop: Stop, recipients: Address[]): BlockedRecipients => ({ code: ErrorCodes.FORWARDING_BLOCKED, ...stop, recipients });

/** The mailbox-level forward (ForwardingAddress or ForwardingSmtpAddress), if any. */
function mailboxForward({ policy, mailbox, contact }: PlanInput, stop: Stop | undefined): PlannedForward | undefined {
  if (stop !== undefined && (mailbox.forwardingContactId !== undefined || mailbox.forwardingSmtpAddress !== undefined)) {
    const source = mailbox.forwardingContactId !== undefined ? ({ kind: 'forwarding-contact', contactId: mailbox.forwardingContactId } as const) : ({ kind: 'forwarding-smtp-address' } as const);
    const recipients = mailbox.forwardingContactId !== undefined ? (contact ? [contact] : []) : toAddresses([mailbox.forwardingSmtpAddress!]);
    return { source, style: 'redirect', stamped: source.kind === 'forwarding-smtp-address', to: [], blocked: [stopped(stop, recipients)] };
  }
  if (mailbox.forwardingContactId !== undefined) {
    const source = { kind: 'forwarding-contact', contactId: mailbox.forwardingContactId } as const;
    if (contact === undefined || contact === null) {
      const reason = `The forwarding contact "${mailbox.forwardingContactId}" is not in the directory, or has no valid email address; the message was kept in the mailbox`;
      const fix = 'Create the contact again (with a valid email address), or point the mailbox forwarding at another contact or SMTP address.';
      return { source, style: 'redirect', stamped: false, to: [], blocked: [{ code: ErrorCodes.FORWARDING_CONTACT_NOT_FOUND, cause: 'contact-missing', reason, fix, recipients: [] }] };
    }
    return { source, style: 'redirect', stamped: false, to: [contact], blocked: [] };
  }
  if (mailbox.forwardingSmtpAddress === undefined) return undefined;
  return { source: { kind: 'forwarding-smtp-address' }, style: 'redirect', stamped: true, ...screenRecipients(toAddresses([mailbox.forwardingSmtpAddress]), policy) };
}

/**
 * Does the mailbox keep the message? Yes without mailbox forwarding, with DeliverToMailboxAndForward,
 * or when the forward goes to nobody; except, with `onBlockedForward: 'drop'`, when the remote
 * domain policy alone blocked it (Exchange Online drops the message then).
 */
function keeps(mailbox: MailboxForwarding, atMailbox: PlannedForward | undefined, policy: PlanInput['policy']): boolean {
  if (atMailbox === undefined || mailbox.deliverToMailboxAndForward) return true;
  if (atMailbox.to.length > 0) return false;
  return !(policy.onBlockedForward === 'drop' && atMailbox.blocked.every((b) => b.cause === 'remote-domain'));
}

/**
 * Decides, without side effects, what Exchange-style automatic forwarding does
 * with a message that arrived in a mailbox:
 * - mailbox forwarding first: to a contact (a redirect, not stamped) or to any
 *   SMTP address (a redirect, stamped); without DeliverToMailboxAndForward the
 *   message is not kept, unless the forward could go nowhere (never lost; with
 *   `onBlockedForward: 'drop'`, a forward the remote domain policy blocked drops it);
 * - then, for a message kept in the mailbox that is not a record forward of the
 *   organization's (its signed mark says so), its enabled inbox rules in sequence order,
 *   until one that matches says stop; their forwards are stamped;
 * - a stamped forward to a domain outside the organization goes only where the
 *   remote domain allows auto-forwarding; the other recipients are blocked, with the reason;
 * - a message the mailbox already forwarded (its signed mark names it), or one that went
 *   through `inbound.maxForwardHops` automatic forwards, is not forwarded again: it is kept,
 *   and the forwards recorded as blocked.
 */
export function planForwards(input: PlanInput): ForwardingPlan {
  const { mailbox, message, policy } = input;
  const mark = input.mark ?? { alreadyForwarded: false, hops: 0, recordForward: false };
  const stop = stopOf(mailbox, mark, policy.inbound?.maxForwardHops ?? 10);
  const forwards: PlannedForward[] = [];
  const atMailbox = mailboxForward(input, stop);
  if (atMailbox !== undefined) forwards.push(atMailbox);
  const deliverToMailbox = keeps(mailbox, atMailbox, policy);
  if (!deliverToMailbox) return { deliverToMailbox, forwards };

  // No inbox rule runs on a record forward of the organization's: "no inbound rules run on forwarded email".
  const inboxRules = mark.recordForward ? [] : mailbox.inboxRules;
  const rules = inboxRules.map((rule, index) => ({ rule, index })).sort((a, b) => a.rule.sequence - b.rule.sequence || a.index - b.index);
  for (const { rule } of rules) {
    if (!ruleApplies(rule, message)) continue;
    for (const [action, style] of RULE_ACTIONS) {
      const recipients = toAddresses(rule.actions[action]);
      if (recipients.length === 0) continue;
      const source = { kind: 'inbox-rule', rule: rule.name } as const;
      forwards.push(stop !== undefined ? { source, style, stamped: true, to: [], blocked: [stopped(stop, recipients)] } : { source, style, stamped: true, ...screenRecipients(recipients, policy) });
    }
    if (rule.actions.stopProcessingRules) break;
  }
  return { deliverToMailbox, forwards };
}
