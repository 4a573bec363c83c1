import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { encodeMessageToBuffer } from '../../message/encode-message.js';
import type { EmailMessage } from '../../message/message.js';
import { base64Length, fileAttachmentJsonBytes, fileAttachmentShape, MAX_REQUEST_BYTES, MAX_UPLOAD_SESSION_BYTES, type SizedAttachment } from './graph-attachments.js';
import { graphMessageJson, isGraphCustomHeader, MAX_GRAPH_CUSTOM_HEADERS } from './graph-message.js';

/** How a message is handed to Exchange. */
export type GraphRoute = 'sendMail' | 'mime' | 'draft';

/** How one email will be sent, decided before any request from the encoded sizes. */
export interface GraphSendPlan {
  route: GraphRoute;
  /** The MIME of the email (MIME route). */
  mime?: Buffer;
  /** Draft route: per attachment, whether it goes through an upload session (else one POST). */
  uploads: boolean[];
}

/** What the plan depends on besides the message. */
export interface GraphPlanOptions {
  saveToSentItems: boolean;
  /** The cloud has upload sessions for Outlook attachments; its name for the refusal otherwise. */
  uploadSessions: boolean;
  cloudName: string;
}

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/**
 * Decides from the encoded sizes (never the raw ones) how an email goes to Graph, so that no
 * request exceeds Graph's 4 MB:
 * - MIME `sendMail` when it has headers Graph's JSON cannot carry (standard headers such as
 *   Auto-Submitted, or more than 5 custom X- headers), if the base64 MIME fits;
 * - JSON `sendMail` with every attachment inline when the JSON body fits;
 * - otherwise a draft, each attachment added by one POST when its JSON fits, else through an
 *   upload session.
 * An email that cannot be sent that way is refused here, before anything is sent.
 */
export async function planGraphSend(message: EmailMessage, sized: SizedAttachment[], options: GraphPlanOptions): Promise<GraphSendPlan> {
  const names = Object.keys(message.headers);
  const standard = names.filter((name) => !isGraphCustomHeader(name));
  const custom = names.filter(isGraphCustomHeader);
  if (standard.length > 0 || custom.length > MAX_GRAPH_CUSTOM_HEADERS) {
    const mime = await encodeMessageToBuffer(message, { keepBcc: true });
    if (base64Length(mime.length) <= MAX_REQUEST_BYTES) return { route: 'mime', mime, uploads: [] };
    const why =
      standard.length > 0
        ? `Microsoft Graph can set only X- headers on a message, and this email has ${standard.join(', ')}`
        : `Microsoft Graph takes at most ${MAX_GRAPH_CUSTOM_HEADERS} custom headers on a message, and this email has ${custom.length}`;
    throw new MailwrightError(ErrorCodes.INVALID_HEADER, `${why}; as MIME, which keeps every header, it is ${base64Length(mime.length)} bytes, over Graph's ${MAX_REQUEST_BYTES}-byte limit. Nothing was sent.`, {
      fix: `Keep the email under about 3 MB, use at most ${MAX_GRAPH_CUSTOM_HEADERS} X- headers and no other custom header, or send it with the SMTP provider.`,
      details: { headers: standard.length > 0 ? standard : custom },
    });
  }
  const body = { message: { ...graphMessageJson(message), attachments: sized.map((s) => fileAttachmentShape(s, '')) }, saveToSentItems: options.saveToSentItems };
  if (jsonBytes(body) + sized.reduce((sum, s) => sum + base64Length(s.sizeBytes), 0) <= MAX_REQUEST_BYTES) return { route: 'sendMail', uploads: sized.map(() => false) };
  const draftBytes = jsonBytes(graphMessageJson(message));
  if (draftBytes > MAX_REQUEST_BYTES) {
    throw new MailwrightError(ErrorCodes.MESSAGE_TOO_LARGE, `The email's body and recipients alone are ${draftBytes} bytes as Graph JSON, over Graph's ${MAX_REQUEST_BYTES}-byte request limit. Nothing was sent.`, {
      fix: 'Shorten the body (move large content into an attachment), or send it with the SMTP provider.',
      permanent: true,
    });
  }
  const uploads = sized.map((s) => fileAttachmentJsonBytes(s) > MAX_REQUEST_BYTES);
  const tooLarge = sized.find((s, i) => uploads[i] === true && (!options.uploadSessions || s.sizeBytes > MAX_UPLOAD_SESSION_BYTES));
  if (tooLarge !== undefined) {
    const reason = options.uploadSessions
      ? `over the ${MAX_UPLOAD_SESSION_BYTES}-byte limit of Outlook attachments`
      : `and ${options.cloudName} has no upload sessions for Outlook attachments, so an attachment must fit in one 4 MB request (about 3 MB of file)`;
    throw new MailwrightError(ErrorCodes.ATTACHMENT_TOO_LARGE, `The attachment "${tooLarge.attachment.filename}" is ${tooLarge.sizeBytes} bytes, ${reason}. Nothing was sent.`, {
      fix: 'Send a smaller file or a link to it, or send the email with the SMTP provider.',
      details: { filename: tooLarge.attachment.filename, sizeBytes: tooLarge.sizeBytes },
    });
  }
  return { route: 'draft', uploads };
}
