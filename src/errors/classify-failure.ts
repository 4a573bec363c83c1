import type { NormalizedFailure } from './catalogue-entry.js';
import { parseEnhancedCode, parseSmtpCode } from './enhanced-code.js';
import type { FailureDetail } from './failure-detail.js';
import { failureCatalogue } from './failure-catalogue.js';
import { MailwrightError } from './mailwright-error.js';
import type { RawFailure } from './raw-failure.js';
import { redactError } from './redact-failure.js';

function normalize(raw: RawFailure): NormalizedFailure {
  const smtpCode = raw.smtpCode ?? parseSmtpCode(raw.response);
  const enhanced = raw.enhancedCode ?? parseEnhancedCode(raw.response) ?? parseEnhancedCode(raw.message);
  const text = [raw.serviceCode, raw.response, raw.message].filter(Boolean).join(' ');
  return { ...raw, ...(smtpCode !== undefined ? { smtpCode } : {}), ...(enhanced !== undefined ? { enhanced } : {}), text };
}

/**
 * Classifies a provider failure with the failure catalogue (first matching
 * entry) and keeps the protocol evidence: codes, server reply, Retry-After,
 * transcript (already redacted by the provider).
 */
export function classifyFailure(raw: RawFailure): FailureDetail {
  const failure = normalize(raw);
  const entry = failureCatalogue.find((e) => e.match?.(failure) === true);
  // The last entry matches everything, so an entry is always found.
  const { code, category, explanation, fix, permanent } = entry ?? failureCatalogue[failureCatalogue.length - 1]!;
  return {
    code,
    category,
    explanation,
    fix,
    permanent,
    message: raw.message,
    ...(failure.smtpCode !== undefined ? { smtpCode: failure.smtpCode } : {}),
    ...(raw.httpStatus !== undefined ? { httpStatus: raw.httpStatus } : {}),
    ...(failure.enhanced !== undefined ? { enhancedCode: failure.enhanced } : {}),
    ...(raw.response !== undefined || raw.serviceCode !== undefined
      ? { serverResponse: [raw.serviceCode, raw.response].filter(Boolean).join(': ') }
      : {}),
    ...(raw.retryAfterSeconds !== undefined ? { retryAfterSeconds: raw.retryAfterSeconds } : {}),
    ...(raw.transcript !== undefined ? { transcript: raw.transcript } : {}),
    ...(raw.mayHaveBeenSent === true ? { mayHaveBeenSent: true } : {}),
  };
}

/**
 * Classifies a raw failure and wraps it in a {@link MailwrightError} carrying the detail,
 * redacted whole (message, server reply, transcript, cause) with the secrets in play.
 */
export function failureError(raw: RawFailure, cause?: unknown): MailwrightError {
  const failure = classifyFailure(raw);
  const reply = failure.serverResponse ?? raw.message;
  // A file failure has no server: its message is the system's.
  const said = raw.protocol === 'file' ? 'The system said' : 'Server said';
  const error = new MailwrightError(failure.code, `${failure.explanation} ${said}: ${reply}`, {
    permanent: failure.permanent,
    fix: failure.fix,
    failure,
    details: {
      ...(failure.smtpCode !== undefined ? { smtpCode: failure.smtpCode } : {}),
      ...(failure.httpStatus !== undefined ? { httpStatus: failure.httpStatus } : {}),
      ...(failure.enhancedCode !== undefined ? { enhancedCode: failure.enhancedCode } : {}),
    },
    ...(cause !== undefined ? { cause } : {}),
  });
  return redactError(error);
}
