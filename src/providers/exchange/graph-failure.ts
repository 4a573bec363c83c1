import { failureError } from '../../errors/classify-failure.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { RawFailure } from '../../errors/raw-failure.js';
import { rawFailureFromError } from '../../errors/raw-failure-from-error.js';
import type { GraphTranscript } from './graph-http-handler.js';
import { requestMayHaveArrived } from './https-transport.js';

/** Retry-After in seconds, from a delay or an HTTP date. */
export function retryAfterSeconds(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** HTTP answers to the final POST after which Exchange may nevertheless have sent the email. */
const MAYBE_ACCEPTED = new Set([500, 502, 504]);

/** What the provider knew when a request failed. */
export interface GraphFailureContext {
  transcript: GraphTranscript;
  /** The sendMail / send request had been posted. */
  sendPosted: boolean;
  /** Sent Items can be checked before a retry. */
  canCheckSentItems: boolean;
  nowMs: number;
}

/**
 * A Graph client error (or transport error) as a classified MailwrightError
 * with the redacted request transcript. When the outcome of the send request is
 * unknown, the failure is transient only if Sent Items can be checked before
 * the next attempt; otherwise it is permanent (never sent twice blindly).
 */
export function graphFailure(error: unknown, context: GraphFailureContext): MailwrightError {
  if (error instanceof MailwrightError) return error;
  const network = context.transcript.networkError;
  const raw: RawFailure = network !== undefined ? rawFailureFromError(network) : rawFailureFromError(error);
  // The Graph client reports -1 when no HTTP answer was involved.
  if (raw.httpStatus !== undefined && raw.httpStatus < 0) delete raw.httpStatus;
  if (network === undefined) {
    const headers = (error as { headers?: { get?: (name: string) => string | null } }).headers;
    const retryAfter = retryAfterSeconds(headers?.get?.('retry-after'), context.nowMs);
    if (retryAfter !== undefined) raw.retryAfterSeconds = retryAfter;
  }
  const uncertain =
    context.sendPosted && (network !== undefined ? requestMayHaveArrived(network) : raw.httpStatus !== undefined && MAYBE_ACCEPTED.has(raw.httpStatus));
  if (uncertain && !context.canCheckSentItems) {
    raw.serviceCode = 'OutcomeUnknown';
    raw.message = `${raw.message} (the send request may have been accepted; Sent Items cannot be checked because saveToSentItems is off)`;
  } else if (uncertain) {
    raw.message = `${raw.message} (the send request may have been accepted; Sent Items is checked before the next attempt)`;
  }
  return failureError({ ...raw, protocol: 'graph', transcript: context.transcript.text() }, error);
}
