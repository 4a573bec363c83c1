import type { InboxRule } from './inbox-rule.js';

/** An inbox rule read from a real mailbox (Microsoft Graph `messageRule`). */
export interface ReadInboxRule extends InboxRule {
  /** The rule's id in the mailbox. */
  id: string;
  /**
   * Conditions, exceptions and actions of the rule that mailwright does not
   * model, by their Graph name (e.g. `headerContains`, `moveToFolder`), so an
   * administrator sees that the rule does more than its mapped form shows.
   */
  unsupported: string[];
}

/** The inbox rules of one mailbox, as read from the server. */
export interface MailboxInboxRules {
  /** The mailbox's address. */
  mailbox: string;
  /** Its inbox rules. */
  rules: ReadInboxRule[];
}
