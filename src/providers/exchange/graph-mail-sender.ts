import type { Client } from '@microsoft/microsoft-graph-client';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { encodeMessageToBuffer } from '../../message/encode-message.js';
import type { EmailMessage } from '../../message/message.js';
import {
  attachmentFileObject,
  attachmentItemJson,
  fileAttachmentJson,
  INLINE_ATTACHMENT_LIMIT_BYTES,
  MAX_REQUEST_BYTES,
  sizeAttachments,
  UPLOAD_CHUNK_BYTES,
  type SizedAttachment,
} from './graph-attachments.js';
import { graphMessageJson, isGraphCustomHeader } from './graph-message.js';

/** How a message was handed to Exchange. */
export type GraphRoute = 'sendMail' | 'mime' | 'draft';

/** Progress the caller needs to classify a failure and to report success. */
export interface GraphSendState {
  /** The final send request (sendMail or draft send) was posted. */
  sendPosted: boolean;
  route?: GraphRoute;
  /** Id of the draft created for the draft route. */
  draftId?: string;
}

const userPath = (mailbox: string): string => `/users/${encodeURIComponent(mailbox)}`;
/** A Graph client error carrying a 4xx answer: the request was refused, not carried out. */
const definitelyRefused = (error: unknown): boolean => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
};
const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/**
 * Hands one validated email to Exchange Online through Microsoft Graph:
 * - `sendMail` with JSON (attachments of at most 3 MB inline, body at most 4 MB);
 * - MIME `sendMail` when the email has standard headers Graph's JSON cannot
 *   carry (only X- headers can be set there), e.g. Auto-Submitted;
 * - otherwise a draft, one upload session per large attachment in chunks of
 *   3.75 MiB (a multiple of 320 KiB), then `send`.
 */
export class GraphMailSender {
  constructor(
    private readonly client: Client,
    private readonly mailbox: string,
    private readonly saveToSentItems: boolean,
  ) {}

  /** The id of a message with this Message-ID in Sent Items, if any. */
  async findInSentItems(messageId: string): Promise<string | undefined> {
    const found = (await this.client
      .api(`${userPath(this.mailbox)}/mailFolders/sentitems/messages`)
      .filter(`internetMessageId eq '${messageId.replace(/'/g, "''")}'`)
      .select('id')
      .top(1)
      .get()) as { value?: { id: string }[] };
    return found.value?.[0]?.id;
  }

  async send(message: EmailMessage, state: GraphSendState): Promise<void> {
    const sized = await sizeAttachments(message.attachments);
    const standardHeaders = Object.keys(message.headers).filter((name) => !isGraphCustomHeader(name));
    if (standardHeaders.length > 0) return this.sendMime(message, standardHeaders, state);
    if (sized.every((a) => a.sizeBytes <= INLINE_ATTACHMENT_LIMIT_BYTES)) {
      const body = {
        message: { ...graphMessageJson(message), attachments: await Promise.all(sized.map(fileAttachmentJson)) },
        saveToSentItems: this.saveToSentItems,
      };
      if (jsonBytes(body) <= MAX_REQUEST_BYTES) {
        state.route = 'sendMail';
        state.sendPosted = true;
        await this.client.api(`${userPath(this.mailbox)}/sendMail`).post(body);
        return;
      }
    }
    return this.sendDraft(message, sized, state);
  }

  private async sendMime(message: EmailMessage, standardHeaders: string[], state: GraphSendState): Promise<void> {
    const mime = (await encodeMessageToBuffer(message, { keepBcc: true })).toString('base64');
    if (mime.length > MAX_REQUEST_BYTES) {
      throw new MailwrightError(
        ErrorCodes.INVALID_HEADER,
        `Microsoft Graph can set only X- headers on a message; this email has ${standardHeaders.join(', ')} and is too large (${mime.length} bytes as MIME) to be sent as MIME, which keeps every header.`,
        { fix: 'Remove those headers, keep the email under 3 MB, or send it with the SMTP provider.', details: { headers: standardHeaders } },
      );
    }
    state.route = 'mime';
    state.sendPosted = true;
    await this.client.api(`${userPath(this.mailbox)}/sendMail`).header('Content-Type', 'text/plain').post(mime);
  }

  private async sendDraft(message: EmailMessage, sized: SizedAttachment[], state: GraphSendState): Promise<void> {
    state.route = 'draft';
    const draft = (await this.client.api(`${userPath(this.mailbox)}/messages`).post(graphMessageJson(message))) as { id: string };
    state.draftId = draft.id;
    const draftPath = `${userPath(this.mailbox)}/messages/${encodeURIComponent(draft.id)}`;
    try {
      for (const attachment of sized) {
        if (attachment.sizeBytes <= INLINE_ATTACHMENT_LIMIT_BYTES) {
          await this.client.api(`${draftPath}/attachments`).post(await fileAttachmentJson(attachment));
        } else {
          const { LargeFileUploadTask } = await import('@microsoft/microsoft-graph-client'); // loaded by graphClient() already
          const session = await LargeFileUploadTask.createUploadSession(this.client, `${draftPath}/attachments/createUploadSession`, attachmentItemJson(attachment));
          await new LargeFileUploadTask(this.client, attachmentFileObject(attachment), session, { rangeSize: UPLOAD_CHUNK_BYTES }).upload();
        }
      }
    } catch (error) {
      await this.client.api(draftPath).delete().catch(() => undefined);
      throw error;
    }
    state.sendPosted = true;
    try {
      await this.client.api(`${draftPath}/send`).post(null);
    } catch (error) {
      // A 4xx answer (429, 403, …): Exchange did not send it. The draft is deleted, so nobody can send it
      // by hand and duplicate the email; the next attempt makes a new one. With no answer or a 5xx it may
      // have been sent: the draft is kept and the next attempt looks in Sent Items.
      if (definitelyRefused(error)) await this.client.api(draftPath).delete().catch(() => undefined);
      throw error;
    }
  }
}
