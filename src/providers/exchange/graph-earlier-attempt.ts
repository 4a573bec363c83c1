import type { Client } from '@microsoft/microsoft-graph-client';
import { userPath } from './graph-mail-sender.js';

/** What the mailbox holds of an earlier attempt of an email. */
export type EarlierAttempt =
  /** Sent: outside Drafts (Sent Items, or moved elsewhere since). */
  | { found: 'sent'; id: string }
  /** In Drafts for less than the grace period: accepted and in transit, or a draft whose send had no answer. */
  | { found: 'in-transit'; waitSeconds: number }
  /** Nothing, or only drafts older than the grace period (deleted now: never sent, and never to be sent by hand). */
  | { found: 'nothing' };

interface FoundMessage {
  id: string;
  parentFolderId?: string;
  createdDateTime?: string;
}

/**
 * An OData string literal for `$filter`: quotes doubled, then the whole clause URL-encoded by
 * the caller. The Graph client does not encode `.filter()` values, so a Message-ID holding
 * `%27` would otherwise be read by Graph as a quote and end the literal.
 */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Looks for every message of the mailbox with this Message-ID, in any folder, Drafts included
 * (Exchange keeps an accepted message in Drafts until transport moves it to Sent Items). A
 * message in Drafts younger than `graceMs` may still be in transit: the caller waits. Older
 * ones were never sent: they are deleted, so that nobody sends them by hand later.
 */
export async function findEarlierAttempt(client: Client, mailbox: string, messageId: string, nowMs: number, graceMs: number): Promise<EarlierAttempt> {
  const filter = encodeURIComponent(`internetMessageId eq ${odataString(messageId)}`);
  const found = ((await client.api(`${userPath(mailbox)}/messages?$filter=${filter}&$select=id,parentFolderId,createdDateTime&$top=10`).get()) as { value?: FoundMessage[] }).value ?? [];
  if (found.length === 0) return { found: 'nothing' };
  const drafts = ((await client.api(`${userPath(mailbox)}/mailFolders/drafts?$select=id`).get()) as { id?: string }).id;
  const sent = found.find((m) => m.parentFolderId !== drafts);
  if (sent !== undefined) return { found: 'sent', id: sent.id };
  const newest = Math.max(...found.map((m) => Date.parse(m.createdDateTime ?? '') || 0));
  if (nowMs < newest + graceMs) return { found: 'in-transit', waitSeconds: Math.ceil((newest + graceMs - nowMs) / 1000) };
  for (const leftover of found) await client.api(`${userPath(mailbox)}/messages/${encodeURIComponent(leftover.id)}`).delete();
  return { found: 'nothing' };
}
