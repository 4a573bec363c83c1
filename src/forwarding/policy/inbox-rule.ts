import { z } from 'zod';
import { addressProblem } from '../../message/address.js';

/** The `user@domain` part of `user@domain` or `Display Name <user@domain>`. */
export const addressSpecOf = (value: string): string => (/<([^<>]*)>\s*$/.exec(value)?.[1] ?? value).trim();

/**
 * One recipient of a rule or a forwarding setting: `user@example.com` or
 * `Display Name <user@example.com>`.
 */
export const recipientSchema = z
  .string()
  .trim()
  .min(1, 'an address is required')
  .superRefine((value, context) => {
    const problem = addressProblem(addressSpecOf(value));
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `"${value}" is not a valid address: ${problem}` });
  });

/**
 * What an inbox rule looks at. Every condition given must hold (AND); text
 * conditions hold when ANY of their phrases occurs (case-insensitive), as in
 * Outlook and Exchange. An empty set of conditions matches every message.
 */
export const ruleConditionsSchema = z.strictObject({
  /** The From address is one of these (address compared case-insensitively). */
  fromAddresses: z.array(recipientSchema).optional(),
  /** The From address or display name contains one of these. */
  senderContains: z.array(z.string().min(1)).optional(),
  /** The subject contains one of these. */
  subjectContains: z.array(z.string().min(1)).optional(),
  /** The text or HTML body contains one of these. */
  bodyContains: z.array(z.string().min(1)).optional(),
  /** The subject or the body contains one of these. */
  bodyOrSubjectContains: z.array(z.string().min(1)).optional(),
  /** The message has (or, with `false`, has no) attachments. */
  hasAttachments: z.boolean().optional(),
  /** One of these addresses is in To or Cc. */
  sentToAddresses: z.array(recipientSchema).optional(),
});

/** Conditions of an inbox rule. */
export type RuleConditions = z.output<typeof ruleConditionsSchema>;

/** What an inbox rule does with a matching message. */
export const ruleActionsSchema = z.strictObject({
  /** Forward: a new message from the mailbox, "FW: subject", with the original below. @default [] */
  forwardTo: z.array(recipientSchema).default([]),
  /** Forward with the original attached as a `.eml` (message/rfc822). @default [] */
  forwardAsAttachmentTo: z.array(recipientSchema).default([]),
  /** Redirect: the original message as it is (its From and To kept) delivered to these. @default [] */
  redirectTo: z.array(recipientSchema).default([]),
  /** Later rules are not applied to a message this rule matched. @default false */
  stopProcessingRules: z.boolean().default(false),
});

/** Actions of an inbox rule. */
export type RuleActions = z.output<typeof ruleActionsSchema>;

/** An inbox rule (Outlook / Exchange style) of one mailbox. */
export const inboxRuleSchema = z.strictObject({
  /** The rule's name, shown to administrators. */
  name: z.string().trim().min(1, 'a rule needs a name'),
  /** Disabled rules are kept but never applied. @default true */
  enabled: z.boolean().default(true),
  /** Rules run in ascending sequence; equal sequences keep their list order. @default 0 */
  sequence: z.number().int().min(0).default(0),
  /** @default {} (every message) */
  conditions: ruleConditionsSchema.default({}),
  /** A message matching any exception is not handled by the rule. @default none */
  exceptions: ruleConditionsSchema.optional(),
  actions: ruleActionsSchema,
});

/** An inbox rule with defaults applied. */
export type InboxRule = z.output<typeof inboxRuleSchema>;
/** An inbox rule as written (defaults optional). */
export type InboxRuleInput = z.input<typeof inboxRuleSchema>;
