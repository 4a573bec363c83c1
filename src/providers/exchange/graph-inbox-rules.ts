import type { RuleActions, RuleConditions } from '../../forwarding/policy/inbox-rule.js';
import type { ReadInboxRule } from '../../forwarding/policy/mailbox-inbox-rules.js';
import { addressProblem, formatAddress } from '../../message/address.js';

/** A Graph `recipient`. */
export interface GraphRecipient {
  emailAddress?: { name?: string | null; address?: string | null } | null;
}

/** Graph `messageRulePredicates`: the fields mailwright maps, and any other Graph sends. */
export interface GraphMessageRulePredicates {
  fromAddresses?: GraphRecipient[] | null;
  sentToAddresses?: GraphRecipient[] | null;
  senderContains?: string[] | null;
  subjectContains?: string[] | null;
  bodyContains?: string[] | null;
  bodyOrSubjectContains?: string[] | null;
  hasAttachments?: boolean | null;
  [predicate: string]: unknown;
}

/** Graph `messageRuleActions`: the fields mailwright maps, and any other Graph sends. */
export interface GraphMessageRuleActions {
  forwardTo?: GraphRecipient[] | null;
  forwardAsAttachmentTo?: GraphRecipient[] | null;
  redirectTo?: GraphRecipient[] | null;
  stopProcessingRules?: boolean | null;
  [action: string]: unknown;
}

/** A Graph `messageRule` (v1.0) as `GET /users/{mailbox}/mailFolders/inbox/messageRules` returns it. */
export interface GraphMessageRule {
  id: string;
  displayName?: string | null;
  sequence?: number | null;
  isEnabled?: boolean | null;
  hasError?: boolean | null;
  isReadOnly?: boolean | null;
  conditions?: GraphMessageRulePredicates | null;
  exceptions?: GraphMessageRulePredicates | null;
  actions?: GraphMessageRuleActions | null;
}

const TEXT_PREDICATES = new Set(['senderContains', 'subjectContains', 'bodyContains', 'bodyOrSubjectContains'] as const);
const RECIPIENT_PREDICATES = new Set(['fromAddresses', 'sentToAddresses'] as const);
const RECIPIENT_ACTIONS = new Set(['forwardTo', 'forwardAsAttachmentTo', 'redirectTo'] as const);
type TextPredicate = typeof TEXT_PREDICATES extends Set<infer T> ? T : never;
type RecipientPredicate = typeof RECIPIENT_PREDICATES extends Set<infer T> ? T : never;
type RecipientAction = typeof RECIPIENT_ACTIONS extends Set<infer T> ? T : never;
// eslint-disable-next-line no-control-regex -- line breaks in a display name are replaced, not kept
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** A predicate or action holds something: not null, false, '' or an empty list / object. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.some(isSet);
  if (typeof value === 'object') return Object.values(value).some(isSet);
  return true;
}

/** `Name <address>` or `address`; undefined when the address is not an SMTP address (e.g. an X.500 one). */
function recipientText(recipient: unknown): string | undefined {
  const email = (recipient as GraphRecipient | null)?.emailAddress;
  const address = typeof email?.address === 'string' ? email.address.trim() : '';
  if (address === '' || addressProblem(address) !== undefined) return undefined;
  const name = typeof email?.name === 'string' ? email.name.replace(CONTROL, ' ').trim() : '';
  return formatAddress(name === '' || name.toLowerCase() === address.toLowerCase() ? { address } : { name, address });
}

/** The readable recipients, and whether every recipient given was readable. */
function recipientList(value: unknown): { list: string[]; complete: boolean } {
  const given = (Array.isArray(value) ? value : [value]).filter(isSet);
  const list = given.map(recipientText).filter((r): r is string => r !== undefined);
  return { list, complete: Array.isArray(value) && list.length === given.length };
}

/** Maps predicates (conditions or exceptions); a predicate it cannot map goes to `unsupported` as `prefix + name`. */
function mapPredicates(predicates: GraphMessageRulePredicates | null | undefined, prefix: string, unsupported: string[]): RuleConditions {
  const mapped: RuleConditions = {};
  for (const [name, value] of Object.entries(predicates ?? {})) {
    if (name.startsWith('@') || !isSet(value)) continue;
    if (RECIPIENT_PREDICATES.has(name as RecipientPredicate)) {
      const { list, complete } = recipientList(value);
      if (list.length > 0) mapped[name as RecipientPredicate] = list;
      if (!complete) unsupported.push(prefix + name);
    } else if (TEXT_PREDICATES.has(name as TextPredicate) && Array.isArray(value)) {
      const phrases = value.filter((p): p is string => typeof p === 'string' && p !== '');
      if (phrases.length > 0) mapped[name as TextPredicate] = phrases;
      if (phrases.length !== value.filter(isSet).length) unsupported.push(prefix + name);
    } else if (name === 'hasAttachments' && value === true) {
      mapped.hasAttachments = true;
    } else {
      unsupported.push(prefix + name);
    }
  }
  return mapped;
}

function mapActions(actions: GraphMessageRuleActions | null | undefined, unsupported: string[]): RuleActions {
  const mapped: RuleActions = { forwardTo: [], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: false };
  for (const [name, value] of Object.entries(actions ?? {})) {
    if (name.startsWith('@') || !isSet(value)) continue;
    if (RECIPIENT_ACTIONS.has(name as RecipientAction)) {
      const { list, complete } = recipientList(value);
      mapped[name as RecipientAction] = list;
      if (!complete) unsupported.push(name);
    } else if (name === 'stopProcessingRules' && value === true) {
      mapped.stopProcessingRules = true;
    } else {
      unsupported.push(name);
    }
  }
  return mapped;
}

/**
 * Maps a Graph `messageRule` to a {@link ReadInboxRule}. Mapped: the conditions
 * and exceptions `fromAddresses`, `sentToAddresses`, `senderContains`,
 * `subjectContains`, `bodyContains`, `bodyOrSubjectContains`, `hasAttachments`
 * (when true) and the actions `forwardTo`, `forwardAsAttachmentTo`,
 * `redirectTo`, `stopProcessingRules`; recipients become `Name <address>` or
 * `address`. Every other predicate or action that is set is named in
 * `unsupported` (exceptions as `exceptions.<name>`), and so is a mapped one
 * with a recipient that has no SMTP address (left out of the list). `name` is
 * the display name (the id when it is empty); `exceptions` is left out when no
 * exception is mapped. The result without `id` and `unsupported` passes
 * `inboxRuleSchema`.
 */
export function readInboxRule(rule: GraphMessageRule): ReadInboxRule {
  const unsupported: string[] = [];
  const conditions = mapPredicates(rule.conditions, '', unsupported);
  const exceptions = mapPredicates(rule.exceptions, 'exceptions.', unsupported);
  const actions = mapActions(rule.actions, unsupported);
  const sequence = rule.sequence;
  return {
    id: rule.id,
    name: rule.displayName?.trim() || rule.id || 'Unnamed rule',
    enabled: rule.isEnabled !== false,
    sequence: typeof sequence === 'number' && Number.isInteger(sequence) && sequence >= 0 ? sequence : 0,
    conditions,
    ...(Object.keys(exceptions).length > 0 ? { exceptions } : {}),
    actions,
    unsupported: [...new Set(unsupported)],
  };
}
