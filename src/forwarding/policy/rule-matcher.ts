import { mailboxKey } from './forwarding-policy.js';
import type { InboundEmail } from './inbound-email.js';
import type { InboxRule, RuleConditions } from './inbox-rule.js';

type MessageFacts = Pick<InboundEmail, 'from' | 'to' | 'cc' | 'subject' | 'text' | 'html' | 'attachments'>;

const containsAny = (haystack: string, phrases: readonly string[]): boolean => {
  const text = haystack.toLowerCase();
  return phrases.some((p) => text.includes(p.toLowerCase()));
};

const addressIn = (address: string | undefined, recipients: readonly string[]): boolean =>
  address !== undefined && recipients.some((r) => mailboxKey(r) === mailboxKey(address));

/** The outcome of each condition that is set (unset ones are left out). */
function conditionOutcomes(conditions: RuleConditions, message: MessageFacts): boolean[] {
  const body = `${message.text ?? ''}\n${message.html ?? ''}`;
  const outcomes: boolean[] = [];
  const check = (set: unknown, holds: () => boolean): void => {
    if (set !== undefined) outcomes.push(holds());
  };
  check(conditions.fromAddresses, () => addressIn(message.from?.address, conditions.fromAddresses!));
  check(conditions.senderContains, () => containsAny(`${message.from?.name ?? ''} ${message.from?.address ?? ''}`, conditions.senderContains!));
  check(conditions.subjectContains, () => containsAny(message.subject, conditions.subjectContains!));
  check(conditions.bodyContains, () => containsAny(body, conditions.bodyContains!));
  check(conditions.bodyOrSubjectContains, () => containsAny(`${message.subject}\n${body}`, conditions.bodyOrSubjectContains!));
  check(conditions.hasAttachments, () => message.attachments.length > 0 === conditions.hasAttachments);
  check(conditions.sentToAddresses, () => [...message.to, ...message.cc].some((a) => addressIn(a.address, conditions.sentToAddresses!)));
  return outcomes;
}

/**
 * Does the rule apply to the message? Enabled, every condition holds, and no
 * exception holds (exceptions are alternatives: any one of them is enough).
 */
export function ruleApplies(rule: InboxRule, message: MessageFacts): boolean {
  if (!rule.enabled) return false;
  if (!conditionOutcomes(rule.conditions, message).every(Boolean)) return false;
  return rule.exceptions === undefined || !conditionOutcomes(rule.exceptions, message).some(Boolean);
}
