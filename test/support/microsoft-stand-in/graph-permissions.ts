import type { IssuedToken } from './token-endpoint.js';

/** What a Graph mail request does, for its permission check. */
export type GraphOperation = 'send' | 'write' | 'read' | 'rules';

/**
 * The permissions that allow an operation, from each API's permissions table in Microsoft
 * Graph's reference (user-sendmail and message-send: Mail.Send; user-post-messages,
 * message-post-attachments, attachment-createuploadsession and message-delete: Mail.ReadWrite;
 * list messages and get mailFolder: Mail.ReadBasic(.All), Mail.Read, Mail.ReadWrite;
 * list messageRules: MailboxSettings.Read), and the `.Shared` delegated permissions for
 * another user's mailbox (outlook-send-mail-from-other-user).
 */
const ALLOWED: Record<'app' | 'own' | 'shared', Record<GraphOperation, string[]>> = {
  app: {
    send: ['Mail.Send'],
    write: ['Mail.ReadWrite'],
    read: ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'],
    rules: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  },
  own: {
    send: ['Mail.Send'],
    write: ['Mail.ReadWrite'],
    read: ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite'],
    rules: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  },
  shared: {
    send: ['Mail.Send.Shared'],
    write: ['Mail.ReadWrite.Shared'],
    read: ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'],
    rules: [],
  },
};

/** Whether `token` holds a permission that allows `operation` on `mailbox`. */
export function permitted(token: IssuedToken, mailbox: string, operation: GraphOperation): boolean {
  const held = token.kind === 'app' ? token.roles : token.scopes;
  const table = token.kind === 'app' ? ALLOWED.app : token.upn?.toLowerCase() === mailbox.toLowerCase() ? ALLOWED.own : ALLOWED.shared;
  return table[operation].some((permission) => held.includes(permission));
}
