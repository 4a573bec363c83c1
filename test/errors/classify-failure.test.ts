import { classifyFailure, failureError } from '../../src/errors/classify-failure.js';
import { ErrorCodes, type ErrorCode } from '../../src/errors/error-codes.js';
import { explainFailure } from '../../src/errors/explain-failure.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import type { RawFailure } from '../../src/errors/raw-failure.js';

const smtp = (response: string): RawFailure => ({ message: response, response });

describe('classifyFailure: real-world replies', () => {
  it.each<[string, RawFailure, ErrorCode, boolean]>([
    ['O365 wrong password', smtp('535 5.7.3 Authentication unsuccessful [AM0PR02CA0001.eurprd02.prod.outlook.com]'), ErrorCodes.AUTH_FAILED, true],
    ['Gmail wrong password', smtp('535-5.7.8 Username and Password not accepted. For more information, go to'), ErrorCodes.AUTH_FAILED, true],
    ['O365 SMTP AUTH disabled', smtp('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.'), ErrorCodes.SMTP_AUTH_DISABLED, true],
    ['O365 security defaults', smtp('535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.'), ErrorCodes.SMTP_AUTH_DISABLED, true],
    ['O365 not authenticated', smtp('530 5.7.57 Client not authenticated to send mail. [DB6PR0301CA0001]'), ErrorCodes.CLIENT_NOT_AUTHENTICATED, true],
    ['no AUTH offered', { message: 'Server does not support authentication', errno: 'ENOAUTH' }, ErrorCodes.SMTP_AUTH_NOT_SUPPORTED, true],
    ['self-signed certificate', { message: 'self-signed certificate', errno: 'ESOCKET' }, ErrorCodes.TLS_FAILED, true],
    ['TLS alt name', { message: "Hostname/IP does not match certificate's altnames", errno: 'ERR_TLS_CERT_ALTNAME_INVALID' }, ErrorCodes.TLS_FAILED, true],
    ['no STARTTLS', { message: 'Server does not support STARTTLS', errno: 'ETLS' }, ErrorCodes.TLS_REQUIRED_NOT_OFFERED, true],
    ['O365 send as', smtp('550 5.7.1 Client does not have permissions to send as this sender'), ErrorCodes.SEND_AS_DENIED, true],
    ['O365 5.7.60', smtp('550 5.7.60 SMTP; Client does not have permissions to send as this sender'), ErrorCodes.SEND_AS_DENIED, true],
    ['Exchange SendAsDenied', smtp('554 5.2.252 SendAsDenied; ana@contoso.com not allowed to send as sales@contoso.com'), ErrorCodes.SEND_AS_DENIED, true],
    ['Postfix unknown user', smtp('550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table'), ErrorCodes.RECIPIENT_UNKNOWN, true],
    ['O365 recipient not found', smtp('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'), ErrorCodes.RECIPIENT_UNKNOWN, true],
    ['mailbox full', smtp('554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException'), ErrorCodes.MAILBOX_FULL, true],
    ['too large', smtp('552 5.3.4 Message size exceeds fixed maximum message size'), ErrorCodes.MESSAGE_TOO_LARGE, true],
    ['too many recipients', smtp('452 4.5.3 Too many recipients'), ErrorCodes.TOO_MANY_RECIPIENTS, false],
    ['421 closing', smtp('421 4.3.2 Service not available, closing transmission channel'), ErrorCodes.TRANSIENT_FAILURE, false],
    ['greylisting', smtp('450 4.2.0 <c@example.com>: Recipient address rejected: Greylisted'), ErrorCodes.TRANSIENT_FAILURE, false],
    ['connection refused', { message: 'connect ECONNREFUSED 127.0.0.1:2525', errno: 'ECONNREFUSED' }, ErrorCodes.CONNECTION_FAILED, false],
    ['timeout', { message: 'Connection timeout', errno: 'ETIMEDOUT' }, ErrorCodes.CONNECTION_FAILED, false],
    ['DNS', { message: 'getaddrinfo ENOTFOUND smtp.contoso.example', errno: 'ENOTFOUND' }, ErrorCodes.DNS_FAILED, false],
    ['single-label host', { message: 'getaddrinfo ENOTFOUND mailserver', errno: 'ENOTFOUND' }, ErrorCodes.SINGLE_LABEL_DOMAIN, true],
    ['single-label recipient', { message: '501 5.1.3 Invalid address', response: '501 5.1.3 Invalid address', domain: 'contoso' }, ErrorCodes.SINGLE_LABEL_DOMAIN, true],
    ['Graph 401', { message: 'Access token has expired', httpStatus: 401, serviceCode: 'InvalidAuthenticationToken' }, ErrorCodes.GRAPH_UNAUTHORIZED, true],
    ['Graph 403 access', { message: 'Access is denied.', httpStatus: 403, serviceCode: 'ErrorAccessDenied' }, ErrorCodes.GRAPH_ACCESS_DENIED, true],
    ['Graph 403 send as', { message: 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.', httpStatus: 403, serviceCode: 'ErrorSendAsDenied' }, ErrorCodes.SEND_AS_DENIED, true],
    ['Graph 404 user', { message: "The requested user 'x@contoso.com' is invalid.", httpStatus: 404, serviceCode: 'ErrorInvalidUser' }, ErrorCodes.MAILBOX_NOT_FOUND, true],
    ['Graph REST', { message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.', httpStatus: 404, serviceCode: 'MailboxNotEnabledForRESTAPI' }, ErrorCodes.MAILBOX_NOT_ENABLED_FOR_REST, true],
    ['Graph 413', { message: 'Request Entity Too Large', httpStatus: 413 }, ErrorCodes.MESSAGE_TOO_LARGE, true],
    ['Graph 429', { message: 'Too Many Requests', httpStatus: 429, retryAfterSeconds: 30 }, ErrorCodes.RATE_LIMITED, false],
    ['Graph 503', { message: 'Service Unavailable', httpStatus: 503 }, ErrorCodes.SERVICE_UNAVAILABLE, false],
    ['AADSTS7000215', { message: 'AADSTS7000215: Invalid client secret provided.', httpStatus: 401, serviceCode: 'AADSTS7000215' }, ErrorCodes.MSAL_INVALID_CLIENT_SECRET, true],
    ['AADSTS700016', { message: "AADSTS700016: Application with identifier 'abc' was not found in the directory", serviceCode: 'AADSTS700016' }, ErrorCodes.MSAL_APP_NOT_FOUND, true],
    ['AADSTS65001', { message: 'AADSTS65001: The user or administrator has not consented to use the application', serviceCode: 'AADSTS65001' }, ErrorCodes.MSAL_CONSENT_REQUIRED, true],
    ['unknown 5xx', smtp('554 5.7.0 Message rejected by policy'), ErrorCodes.DELIVERY_FAILED, true],
  ])('%s → %s', (_name, raw, code, permanent) => {
    const detail = classifyFailure(raw);
    expect(detail.code).toBe(code);
    expect(detail.permanent).toBe(permanent);
    expect(detail.explanation.length).toBeGreaterThan(20);
    expect(detail.fix.length).toBeGreaterThan(20);
  });

  it('keeps the protocol evidence: reply code, enhanced code, reply, Retry-After, transcript', () => {
    const detail = classifyFailure({ ...smtp('550 5.7.1 Client does not have permissions to send as this sender'), transcript: 'S: 550 …' });
    expect(detail).toMatchObject({ smtpCode: 550, enhancedCode: '5.7.1', serverResponse: '550 5.7.1 Client does not have permissions to send as this sender', transcript: 'S: 550 …' });
    expect(classifyFailure({ message: 'x', httpStatus: 429, retryAfterSeconds: 17 }).retryAfterSeconds).toBe(17);
  });

  it('failureError wraps the detail in a typed error', () => {
    const error = failureError(smtp('550 5.1.1 User unknown'));
    expect(error).toBeInstanceOf(MailwrightError);
    expect(error.code).toBe(ErrorCodes.RECIPIENT_UNKNOWN);
    expect(error.failure?.smtpCode).toBe(550);
    expect(error.fix).toMatch(/recipient address/);
    expect(error.message).toContain('550 5.1.1 User unknown');
  });
});

describe('explainFailure', () => {
  it('explains nodemailer, Node and MSAL-style errors', () => {
    expect(explainFailure(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.3 Authentication unsuccessful' })).code).toBe(ErrorCodes.AUTH_FAILED);
    expect(explainFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect(explainFailure(Object.assign(new Error('AADSTS65001: consent'), { errorCode: 'invalid_grant' })).code).toBe(ErrorCodes.MSAL_CONSENT_REQUIRED);
    expect(explainFailure(Object.assign(new Error('Forbidden'), { statusCode: 403, code: 'ErrorAccessDenied' })).code).toBe(ErrorCodes.GRAPH_ACCESS_DENIED);
  });

  it('explains every input code through its catalogue entry', () => {
    const error = new MailwrightError(ErrorCodes.SECRET_UNREADABLE, 'cannot decrypt');
    expect(explainFailure(error)).toMatchObject({ code: 'MW_SECRET_UNREADABLE', category: 'configuration' });
    expect(explainFailure(error).fix).toMatch(/Re-enter the SMTP password/);
  });
});
