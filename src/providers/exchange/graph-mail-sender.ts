import type { Client } from '@microsoft/microsoft-graph-client';
import type { EmailMessage } from '../../message/message.js';
import { attachmentFileObject, attachmentItemJson, fileAttachmentJson, UPLOAD_CHUNK_BYTES, type SizedAttachment } from './graph-attachments.js';
import { graphMessageJson } from './graph-message.js';
import type { GraphRoute, GraphSendPlan } from './graph-send-plan.js';

/** Progress the caller needs to classify a failure and to report success. */
export interface GraphSendState {
  /** The final send request (sendMail or draft send) was posted. */
  sendPosted: boolean;
  route?: GraphRoute;
  /** Id of the draft created for the draft route. */
  draftId?: string;
}

/** `/users/{mailbox}` with the mailbox encoded. */
export const userPath = (mailbox: string): string => `/users/${encodeURIComponent(mailbox)}`;

/** A Graph client error carrying a 4xx answer: the request was refused, not carried out. */
const definitelyRefused = (error: unknown): boolean => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
};

/**
 * Hands one validated email to Exchange Online through Microsoft Graph, as its
 * {@link GraphSendPlan} says: JSON `sendMail`, MIME `sendMail`, or a draft with
 * each attachment POSTed or uploaded through an upload session, then `send`.
 */
export class GraphMailSender {
  constructor(
    private readonly client: Client,
    private readonly mailbox: string,
    private readonly saveToSentItems: boolean,
  ) {}

  async send(message: EmailMessage, sized: SizedAttachment[], plan: GraphSendPlan, state: GraphSendState): Promise<void> {
    state.route = plan.route;
    if (plan.route === 'mime') {
      state.sendPosted = true;
      await this.client
        .api(`${userPath(this.mailbox)}/sendMail`)
        .header('Content-Type', 'text/plain')
        .post((plan.mime as Buffer).toString('base64'));
      return;
    }
    if (plan.route === 'sendMail') {
      const body = { message: { ...graphMessageJson(message), attachments: await Promise.all(sized.map(fileAttachmentJson)) }, saveToSentItems: this.saveToSentItems };
      state.sendPosted = true;
      await this.client.api(`${userPath(this.mailbox)}/sendMail`).post(body);
      return;
    }
    return this.sendDraft(message, sized, plan.uploads, state);
  }

  private async sendDraft(message: EmailMessage, sized: SizedAttachment[], uploads: boolean[], state: GraphSendState): Promise<void> {
    const draft = (await this.client.api(`${userPath(this.mailbox)}/messages`).post(graphMessageJson(message))) as { id: string };
    state.draftId = draft.id;
    const draftPath = `${userPath(this.mailbox)}/messages/${encodeURIComponent(draft.id)}`;
    try {
      for (const [index, attachment] of sized.entries()) {
        if (uploads[index] !== true) {
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
      // have been sent: the draft is kept and the next attempt looks for it in the mailbox.
      if (definitelyRefused(error)) await this.client.api(draftPath).delete().catch(() => undefined);
      throw error;
    }
  }
}
