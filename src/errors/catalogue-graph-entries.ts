import { anyOf, serviceCodeIn, textMatches, type CatalogueEntry, type NormalizedFailure } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/** Entra ID (MSAL) and mailbox failures recognized by their service code: matched first. */
export const serviceCodeEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.MSAL_INVALID_CLIENT_SECRET,
    category: 'authentication',
    title: 'Invalid client secret',
    explanation: 'Entra ID rejected the app registration\'s client secret: it is wrong, expired, or the secret ID was entered instead of its value.',
    fix: 'Create a new client secret under App registrations > Certificates & secrets, copy its Value (not the Secret ID) into the Exchange settings, and save.',
    permanent: true,
    examples: ['AADSTS7000215: Invalid client secret provided.', 'AADSTS7000222: The provided client secret keys are expired.'],
    match: anyOf(serviceCodeIn('AADSTS7000215', 'AADSTS7000222'), textMatches(/AADSTS70002(?:15|22)/)),
  },
  {
    code: ErrorCodes.MSAL_APP_NOT_FOUND,
    category: 'configuration',
    title: 'Application not found in the tenant',
    explanation: 'Entra ID does not know the client (application) ID in this tenant: a wrong client ID or tenant ID, or the app was never consented to in this tenant.',
    fix: 'Check the tenant ID and the Application (client) ID on the app registration overview page; for a multi-tenant app, have an administrator of this tenant consent to it.',
    permanent: true,
    examples: ["AADSTS700016: Application with identifier '…' was not found in the directory 'contoso.com'."],
    match: anyOf(serviceCodeIn('AADSTS700016'), textMatches(/AADSTS700016/)),
  },
  {
    code: ErrorCodes.MSAL_CONSENT_REQUIRED,
    category: 'authorization',
    title: 'Consent required',
    explanation: 'The user or an administrator has not consented to the permissions the app asks for (Mail.Send).',
    fix: 'In App registrations > API permissions, add Microsoft Graph Mail.Send (Application for batch, Delegated for interactive) and click "Grant admin consent".',
    permanent: true,
    examples: ['AADSTS65001: The user or administrator has not consented to use the application.'],
    match: anyOf(serviceCodeIn('AADSTS65001', 'consent_required'), textMatches(/AADSTS65001/)),
  },
  {
    code: ErrorCodes.MAILBOX_NOT_ENABLED_FOR_REST,
    category: 'configuration',
    title: 'Mailbox not enabled for the REST API',
    explanation: 'The mailbox is not in Exchange Online (on-premises, soft-deleted, or inactive) or has no Exchange Online licence, so Graph cannot send from it.',
    fix: 'Use a licensed Exchange Online mailbox as the sender (or batch account), or migrate the mailbox to Exchange Online; for on-premises mailboxes use the SMTP provider.',
    permanent: true,
    examples: ['404 MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is hosted on-premise.'],
    match: serviceCodeIn('MailboxNotEnabledForRESTAPI', 'MailboxNotSupportedForRESTAPI'),
  },
  {
    code: ErrorCodes.SEND_OUTCOME_UNKNOWN,
    category: 'network',
    title: 'Send outcome unknown',
    explanation:
      'The connection broke (or the gateway timed out) after the send request reached Exchange, so the email may have been sent. Sent Items cannot be checked because saveToSentItems is off, so it is not retried: retrying could send it twice.',
    fix: 'Look for the email in a message trace (Exchange admin center > Mail flow > Message trace) by its Message-ID and resend it by hand if it is not there. Turn saveToSentItems on so mailwright can check before retrying.',
    permanent: true,
    examples: ['OutcomeUnknown: socket hang up after POST /users/{mailbox}/sendMail'],
    match: serviceCodeIn('OutcomeUnknown'),
  },
];

/** An HTTP status from Microsoft (Graph, the token endpoint), not from another HTTP API. */
const fromMicrosoft = (raw: NormalizedFailure): boolean => raw.protocol !== 'http';

/** Microsoft Graph failures recognized by HTTP status: matched after the SMTP and delivery entries. */
export const graphEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.MAILBOX_NOT_FOUND,
    category: 'configuration',
    title: 'Mailbox or user not found',
    explanation: 'Graph found no user or mailbox with that address or id in the tenant.',
    fix: 'Check the mailbox address (batch account or the user\'s email) exists in this tenant and has an Exchange Online licence.',
    permanent: true,
    examples: ['404 ErrorInvalidUser: The requested user \'batch@contoso.com\' is invalid.', '404 ResourceNotFound'],
    match: anyOf(serviceCodeIn('ErrorInvalidUser', 'ResourceNotFound', 'ErrorNonExistentMailbox', 'MailboxNotFound', 'Request_ResourceNotFound'), (raw) => fromMicrosoft(raw) && raw.httpStatus === 404),
  },
  {
    code: ErrorCodes.GRAPH_UNAUTHORIZED,
    category: 'authentication',
    title: 'Graph rejected the access token (401)',
    explanation: 'The token was missing, invalid or expired, issued for another resource, or the app lacks admin consent for Mail.Send.',
    fix: 'Check the tenant and client IDs, that Mail.Send is granted with admin consent, and that the machine clock is right; then send a test email.',
    permanent: true,
    examples: ['401 InvalidAuthenticationToken: Access token has expired or is not yet valid.'],
    match: anyOf((raw) => fromMicrosoft(raw) && raw.httpStatus === 401, serviceCodeIn('InvalidAuthenticationToken')),
  },
  {
    code: ErrorCodes.GRAPH_ACCESS_DENIED,
    category: 'authorization',
    title: 'Access denied by Graph (403)',
    explanation: 'The app or user may not send from this mailbox: Mail.Send is not granted, or an application access policy / RBAC for Applications scope excludes the mailbox.',
    fix: 'Grant Mail.Send (Application for batch, Delegated for interactive) with admin consent, and add the mailbox to the application access policy or management scope that restricts the app.',
    permanent: true,
    examples: ['403 ErrorAccessDenied: Access is denied. Check credentials and try again.', '403 Authorization_RequestDenied'],
    match: anyOf((raw) => fromMicrosoft(raw) && raw.httpStatus === 403, serviceCodeIn('ErrorAccessDenied', 'Authorization_RequestDenied', 'AccessDenied')),
  },
  {
    code: ErrorCodes.SERVICE_UNAVAILABLE,
    category: 'transient',
    title: 'Service unavailable',
    explanation: 'The service had a temporary problem (HTTP 500, 502, 503 or 504).',
    fix: 'Queued email is retried automatically; an interactive email can be sent again a little later. If it lasts, check the service\'s status page (for Exchange Online, the Microsoft 365 service health page).',
    permanent: false,
    examples: ['503 Service Unavailable', '504 Gateway Timeout'],
    match: (raw) => raw.httpStatus !== undefined && raw.httpStatus >= 500,
  },
];
