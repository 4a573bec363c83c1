import type { FailureDetail } from './failure-detail.js';
import { MailwrightError } from './mailwright-error.js';
import { redactSecrets, redactTranscript } from './redact.js';
import { secretsInPlay } from './secrets-in-play.js';

/**
 * A stand-in for an error's cause with its message, stack and causes redacted:
 * a transport error may carry the server's reply (an echoed password) in its
 * message or other fields, and `util.inspect` or a logger prints the cause chain.
 */
function redactedCause(cause: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(cause instanceof Error)) return typeof cause === 'string' ? redactTranscript(cause, secrets) : undefined;
  const nested = depth < 5 && cause.cause !== undefined ? redactedCause(cause.cause, secrets, depth + 1) : undefined;
  const copy = new Error(redactTranscript(cause.message, secrets), nested === undefined ? undefined : { cause: nested });
  copy.name = cause.name;
  copy.stack = cause.stack === undefined ? undefined : redactTranscript(cause.stack, secrets);
  const code = (cause as NodeJS.ErrnoException).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

/** A failure detail with its texts redacted (message, server reply, transcript…); its explanation and fix are the catalogue's own. */
const redactFailure = (failure: FailureDetail, secrets: readonly string[]): FailureDetail => ({
  ...redactSecrets(failure, secrets),
  explanation: failure.explanation,
  fix: failure.fix,
});

/**
 * The error with its message, details, failure (but the catalogue's explanation
 * and fix), stack and cause redacted with the secrets in play and `secrets` (see
 * `redactTranscript` for what is removed). The one way a failure leaves
 * mailwright: stored in the history or thrown to the caller.
 */
export function redactError(error: MailwrightError, secrets: readonly (string | undefined)[] = []): MailwrightError {
  const all = [...secretsInPlay(), ...secrets].filter((s): s is string => s !== undefined && s !== '');
  const redacted = new MailwrightError(error.code, redactTranscript(error.message, all), {
    permanent: error.permanent,
    ...(error.fix !== undefined ? { fix: error.fix } : {}),
    details: redactSecrets(error.details, all),
    ...(error.failure !== undefined ? { failure: redactFailure(error.failure, all) } : {}),
    ...(error.cause !== undefined ? { cause: redactedCause(error.cause, all) } : {}),
  });
  redacted.stack = error.stack === undefined ? undefined : redactTranscript(error.stack, all);
  // A subclass (ProviderSelectionRequired, say) stays one, with its own fields.
  Object.setPrototypeOf(redacted, Object.getPrototypeOf(error) as object);
  for (const [key, value] of Object.entries(error)) if (!(key in redacted)) Object.assign(redacted, { [key]: redactSecrets(value, all) });
  return redacted;
}
