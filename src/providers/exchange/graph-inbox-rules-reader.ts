import type { Client } from '@microsoft/microsoft-graph-client';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { reexplained } from './graph-failure.js';
import type { GraphMessageRule } from './graph-inbox-rules.js';

/** Most pages followed for one mailbox (a mailbox holds a few hundred rules at most). */
const MAX_PAGES = 100;

function unexpectedAnswer(mailbox: string, what: string): MailwrightError {
  return new MailwrightError(ErrorCodes.DELIVERY_FAILED, `Graph answered the request for the inbox rules of ${mailbox} unexpectedly: ${what}.`, {
    fix: 'Try again later; if it persists, report it with the mailbox and the time.',
    details: { mailbox },
  });
}

/**
 * Every `messageRule` of the mailbox's Inbox: `GET /users/{mailbox}/mailFolders/inbox/messageRules`,
 * following `@odata.nextLink`. A next link outside `graphBase` (the cloud's Graph v1.0 endpoint)
 * is never followed (the client would send it the token).
 */
export async function fetchGraphInboxRules(client: Client, mailbox: string, graphBase: string): Promise<GraphMessageRule[]> {
  const rules: GraphMessageRule[] = [];
  const seen = new Set<string>();
  let next: string | undefined = `/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messageRules`;
  while (next !== undefined) {
    if (seen.has(next) || seen.size >= MAX_PAGES) throw unexpectedAnswer(mailbox, `it kept paging (${seen.size} pages)`);
    seen.add(next);
    const page = (await client.api(next).get()) as { value?: unknown; '@odata.nextLink'?: unknown } | null;
    if (!Array.isArray(page?.value)) throw unexpectedAnswer(mailbox, 'no "value" list');
    rules.push(...(page.value as GraphMessageRule[]));
    const link = page['@odata.nextLink'];
    if (link !== undefined && link !== null && (typeof link !== 'string' || !link.startsWith(`${graphBase}/`))) {
      throw unexpectedAnswer(mailbox, `a next link outside ${graphBase}`);
    }
    next = link ?? undefined;
  }
  return rules;
}

/**
 * A classified failure of reading inbox rules. A 403 (`MW_GRAPH_ACCESS_DENIED`)
 * gets the fix for reading rules (MailboxSettings.Read) instead of the one for
 * sending (Mail.Send); other failures are returned as they are.
 */
export function inboxRulesFailure(error: MailwrightError, mailbox: string): MailwrightError {
  if (error.code !== ErrorCodes.GRAPH_ACCESS_DENIED) return error;
  return reexplained(
    error,
    `The app may not read the inbox rules of ${mailbox}: it lacks the MailboxSettings.Read application permission (with admin consent), or an application access policy / RBAC for Applications scope excludes the mailbox.`,
    'In App registrations > API permissions, add Microsoft Graph MailboxSettings.Read as an Application permission and click "Grant admin consent"; if an application access policy or management scope restricts the app, include this mailbox in it (check with Test-ServicePrincipalAuthorization).',
    { mailbox, permission: 'MailboxSettings.Read' },
  );
}
