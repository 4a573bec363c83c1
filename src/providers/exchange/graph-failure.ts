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
  /** The mailbox can show whether an accepted send went out (its copy stays in Drafts, then Sent Items). */
  canCheckSentItems: boolean;
  nowMs: number;
}

/** A classified error told again for a situation the catalogue entry does not know: same code, another explanation and fix. */
export function reexplained(error: MailwrightError, explanation: string, fix: string, details: Record<string, unknown>): MailwrightError {
  const reply = error.failure?.serverResponse ?? error.failure?.message ?? error.message;
  return new MailwrightError(error.code, `${explanation} Server said: ${reply}`, {
    permanent: error.permanent,
    fix,
    ...(error.failure !== undefined ? { failure: { ...error.failure, explanation, fix } } : {}),
    details: { ...error.details, ...details },
    cause: error,
  });
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
  if (uncertain) raw.mayHaveBeenSent = true;
  if (uncertain && !context.canCheckSentItems) {
    raw.serviceCode = 'OutcomeUnknown';
    raw.message = `${raw.message} (the send request may have been accepted; the mailbox keeps no copy to check because saveToSentItems is off)`;
  } else if (uncertain) {
    raw.message = `${raw.message} (the send request may have been accepted; the mailbox is checked before the next attempt)`;
  }
  const typed = failureError({ ...raw, protocol: 'graph', transcript: context.transcript.text() }, error);
  const claims = network === undefined ? claimsChallenge(error) : undefined;
  if (claims !== undefined) typed.details.claims = claims;
  return typed;
}

/**
 * The claims of a Continuous Access Evaluation / Conditional Access challenge Graph sent with a
 * 401 (`WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64>"`), decoded.
 */
function claimsChallenge(error: unknown): string | undefined {
  const header = (error as { headers?: { get?: (name: string) => string | null } }).headers?.get?.('www-authenticate') ?? '';
  const encoded = /claims="([^"]+)"/.exec(header)?.[1];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}
