import { z } from 'zod';
import { addressSpecOf, inboxRuleSchema, recipientSchema } from './inbox-rule.js';
import { asciiAddress } from '../../message/ascii-domain.js';
import { inboundLimitsSchema } from './inbound-limits.js';
import { redirectSettingsSchema } from './redirect-settings.js';
import { DEFAULT_REMOTE_DOMAIN, policyDomainSchema, remoteDomainSchema } from './remote-domains.js';

const uniqueBy =
  <T>(key: (item: T) => string, what: string) =>
  (items: T[], context: z.RefinementCtx): void => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) context.addIssue({ code: 'custom', message: `${what} "${k}" is listed twice`, path: [index] });
      seen.add(k);
    });
  };

/**
 * What identifies an address of the policy (a mailbox, a rule's recipient): its address,
 * domain in ASCII (IDNA), local part in Unicode NFC, lower-cased, whatever the display name:
 * `José@Bücher.example` and `jose\u0301@xn--bcher-kva.example` are one mailbox.
 */
export const mailboxKey = (address: string): string => asciiAddress(addressSpecOf(address).normalize('NFC')).toLowerCase();

/** Forwarding settings and inbox rules of one mailbox (Exchange `Set-Mailbox` / `New-InboxRule`). */
export const mailboxForwardingSchema = z
  .strictObject({
    /** The mailbox's address; compared case-insensitively. */
    address: recipientSchema,
    /** Display name of the mailbox, used as From name of its forwards. @default none */
    displayName: z.string().trim().min(1).optional(),
    /**
     * Forwards every message to this address, any domain (ForwardingSmtpAddress):
     * a redirect keeping the original From and To, stamped as auto-forwarded,
     * so remote domain policy applies. @default none
     */
    forwardingSmtpAddress: recipientSchema.optional(),
    /**
     * Forwards every message to this directory contact or user (ForwardingAddress):
     * a redirect, not stamped (an administrator chose the contact), so remote domain
     * policy does not apply. Must exist (MW_FORWARDING_CONTACT_NOT_FOUND). @default none
     */
    forwardingContactId: z.string().trim().min(1).optional(),
    /** With mailbox forwarding, keep a copy in the mailbox too (DeliverToMailboxAndForward). @default false */
    deliverToMailboxAndForward: z.boolean().default(false),
    /** Inbox rules, applied to messages delivered to the mailbox; names are unique in a mailbox. @default [] */
    inboxRules: z.array(inboxRuleSchema).default([]).superRefine(uniqueBy((r) => r.name.toLowerCase(), 'The rule')),
  })
  .refine((m) => m.forwardingSmtpAddress === undefined || m.forwardingContactId === undefined, {
    message: 'set forwardingSmtpAddress or forwardingContactId, not both',
    path: ['forwardingContactId'],
  });

/** One mailbox's forwarding, defaults applied. */
export type MailboxForwarding = z.output<typeof mailboxForwardingSchema>;
/** One mailbox's forwarding as written. */
export type MailboxForwardingInput = z.input<typeof mailboxForwardingSchema>;

/**
 * The organization's automatic forwarding policy (Exchange style): its own
 * domains, the remote domains that may or may not receive auto-forwarded
 * email, and each mailbox's forwarding and inbox rules.
 */
export const forwardingPolicySchema = z
  .strictObject({
    /**
     * The organization's own domains (`contoso.com`, or `*.contoso.com` with its subdomains;
     * Unicode or ASCII): forwarding there is internal and never blocked. @default []
     */
    acceptedDomains: z.array(policyDomainSchema(false)).default([]),
    /** Remote domains. @default [{ domain: '*', autoForwardEnabled: true }] (Exchange's Default remote domain) */
    remoteDomains: z
      .array(remoteDomainSchema)
      .default([DEFAULT_REMOTE_DOMAIN])
      .superRefine(uniqueBy((d) => d.domain, 'The remote domain')),
    /** @default [] */
    mailboxes: z.array(mailboxForwardingSchema).default([]).superRefine(uniqueBy((m) => mailboxKey(m.address), 'The mailbox')),
    /** How redirects go out: a Sender header or none, and the envelope sender. @default { senderHeader: 'mailbox', envelopeFrom: 'mailbox' } */
    redirect: redirectSettingsSchema.prefault({}),
    /**
     * A mailbox forward blocked by the remote domain policy, for a mailbox that keeps no copy
     * (no DeliverToMailboxAndForward): `keep` delivers the message to the mailbox after all
     * (mailwright's safer default); `drop` does not, as Exchange Online drops it. Either way
     * the history records the forward as `blocked` with its reason. @default 'keep'
     */
    onBlockedForward: z.enum(['keep', 'drop']).default('keep'),
    /** Limits on received messages and on how many automatic forwards a message may go through. @default { maxHeaderBytes: 262144, maxMimeParts: 500, maxForwardHops: 10 } */
    inbound: inboundLimitsSchema.prefault({}),
  })
  .meta({ title: 'Forwarding policy' });

/** The forwarding policy, defaults applied. */
export type ForwardingPolicy = z.output<typeof forwardingPolicySchema>;
/** The forwarding policy as written (every field optional). */
export type ForwardingPolicyInput = z.input<typeof forwardingPolicySchema>;
