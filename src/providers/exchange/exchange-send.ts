import type { Client } from '@microsoft/microsoft-graph-client';
import { failureError } from '../../errors/classify-failure.js';
import type { MailwrightError } from '../../errors/mailwright-error.js';
import { rawFailureFromError } from '../../errors/raw-failure-from-error.js';
import type { EmailMessage } from '../../message/message.js';
import type { ExchangeSettings } from '../../parameters/exchange-settings.js';
import type { SendContext, SendReceipt } from '../provider.js';
import { EXCHANGE_CLOUDS } from './exchange-clouds.js';
import { sizeAttachments } from './graph-attachments.js';
import { findEarlierAttempt } from './graph-earlier-attempt.js';
import { graphFailure, reexplained } from './graph-failure.js';
import type { GraphTranscript } from './graph-http-handler.js';
import { GraphMailSender, type GraphSendState } from './graph-mail-sender.js';
import { planGraphSend } from './graph-send-plan.js';

/** One send, as the provider sets it up. */
export interface GraphSendJob {
  message: EmailMessage;
  context: SendContext;
  settings: ExchangeSettings;
  /** The mailbox sending: the batch account, or the signed-in user's own mailbox. */
  mailbox: string;
  transcript: GraphTranscript;
  nowMs: () => number;
  /** How long a copy in Drafts may still be in transit. */
  graceMs: number;
  /** Runs the requests in the mailbox's turn, with a Graph client holding a fresh token. */
  inTurn: <T>(run: (client: Client) => Promise<T>) => Promise<T>;
}

/** The permission that lets the token read the mailbox, to name when it is missing. */
function readPermission(job: GraphSendJob): string {
  if (job.context.mode === 'batch') return 'Mail.ReadBasic.All (Application permission, with admin consent)';
  return 'Mail.ReadBasic (Delegated permission)';
}

/**
 * An earlier attempt may have been accepted and the mailbox cannot tell: fail without sending,
 * permanently (never send twice), saying why and what the administrator can do.
 */
function outcomeUnknown(job: GraphSendJob, cause: unknown, why: string, fix: string): MailwrightError {
  const classified = failureError({ ...rawFailureFromError(cause), protocol: 'graph', serviceCode: 'OutcomeUnknown', mayHaveBeenSent: true, transcript: job.transcript.text() }, cause);
  return reexplained(classified, `An earlier attempt of this email may have been accepted by Exchange, and ${why} So it is not sent again: it could arrive twice.`, fix, { messageId: job.message.messageId });
}

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

/**
 * Sends one email through Graph, never twice: when the previous attempt may have been
 * accepted (or nothing is known of it), the mailbox is searched for the Message-ID first,
 * Drafts included; a copy in Drafts younger than the grace period may be in transit, so the
 * attempt waits for it instead of sending.
 */
export async function sendWithGraph(job: GraphSendJob): Promise<SendReceipt> {
  const { message, context, settings, mailbox, transcript } = job;
  const state: GraphSendState = { sendPosted: false };
  const receipt = (response: string, providerMessageId?: string): SendReceipt => ({
    status: 'sent',
    messageId: message.messageId,
    ...(providerMessageId !== undefined ? { providerMessageId } : {}),
    recipients: [...message.to, ...message.cc, ...message.bcc].map((a) => ({ address: a.address, status: 'accepted' })),
    response,
    transcript: transcript.text(),
  });
  const sized = await sizeAttachments(message.attachments);
  const cloud = EXCHANGE_CLOUDS[settings.cloud];
  const plan = await planGraphSend(message, sized, { saveToSentItems: settings.saveToSentItems, uploadSessions: cloud.uploadSessions, cloudName: cloud.name });
  // A draft's send and a MIME send are saved in Sent Items whatever the setting; JSON sendMail only with it.
  const checkable = plan.route !== 'sendMail' || settings.saveToSentItems;
  // Nothing known of the previous attempt (a crash, a provider called directly): look too.
  const mustLook = context.attempt > 1 && (context.previousFailure === undefined || context.previousFailure.mayHaveBeenSent === true);
  try {
    return await job.inTurn(async (client) => {
      if (mustLook) {
        let earlier;
        try {
          earlier = await findEarlierAttempt(client, mailbox, message.messageId, job.nowMs(), job.graceMs);
        } catch (error) {
          if (statusOf(error) !== 403) throw error;
          throw outcomeUnknown(
            job,
            error,
            `mailwright could not look for it in ${mailbox}: the app lacks ${readPermission(job)}, which it needs to check whether an earlier attempt went out before sending again.`,
            `Look for the Message-ID ${message.messageId} in a message trace (Exchange admin center > Mail flow > Message trace) and resend the email by hand if it is not there. So that mailwright can check by itself next time, grant ${readPermission(job)} (or Mail.ReadWrite) in App registrations > API permissions.`,
          );
        }
        if (earlier.found === 'sent') return receipt('Found in the mailbox: an earlier attempt was accepted; not sent again', earlier.id);
        if (earlier.found === 'in-transit') {
          const text = `An earlier attempt of this email is in the Drafts folder of ${mailbox}; it is looked for again in ${earlier.waitSeconds} s.`;
          throw failureError({ message: text, serviceCode: 'InTransit', retryAfterSeconds: earlier.waitSeconds, mayHaveBeenSent: true, protocol: 'graph', transcript: transcript.text() });
        }
      }
      await new GraphMailSender(client, mailbox, settings.saveToSentItems).send(message, sized, plan, state);
      return receipt(`202 Accepted (${state.route})`, state.draftId);
    });
  } catch (error) {
    throw graphFailure(error, { transcript, sendPosted: state.sendPosted, canCheckSentItems: checkable, nowMs: job.nowMs() });
  }
}
