import type { RawFailure } from './raw-failure.js';

type Loose = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Reads the protocol facts out of whatever a transport threw: nodemailer
 * errors (responseCode, response, code), Node system errors (code), Graph
 * client errors (statusCode, code), MSAL errors (errorCode, AADSTS in the message).
 */
export function rawFailureFromError(error: unknown): RawFailure {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as Loose;
  const message = str(e.message) ?? String(error);
  const aadsts = /AADSTS\d+/.exec(message)?.[0];
  const statusCode = num(e.statusCode) ?? num(e.status) ?? num(e.httpStatus);
  const code = str(e.code) ?? str(e.errno);
  const serviceCode = aadsts ?? (statusCode !== undefined ? code : undefined) ?? str(e.serviceCode);
  const errno = statusCode === undefined ? code : undefined;
  const smtpCode = num(e.responseCode) ?? num(e.smtpCode);
  const response = str(e.response);
  const retryAfter = num(e.retryAfterSeconds);
  return {
    message,
    ...(smtpCode !== undefined ? { smtpCode } : {}),
    ...(response !== undefined ? { response } : {}),
    ...(statusCode !== undefined ? { httpStatus: statusCode } : {}),
    ...(serviceCode !== undefined ? { serviceCode } : {}),
    ...(errno !== undefined ? { errno } : {}),
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}
