import { anyOf, serviceCodeIn, textMatches, type CatalogueEntry, type NormalizedFailure } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/** What to do when Entra ID refuses a token request: shared by every entry of MSAL_TOKEN_REFUSED (the docs show one fix per code). */
const MSAL_TOKEN_REFUSED_FIX =
  'Look up the AADSTS code in the reply (https://login.microsoftonline.com/error?code=<number>) and the failed sign-in under Entra ID > Sign-in logs > Service principal sign-ins. An Entra ID administrator can enable the app (Enterprise applications > the app > Properties > Enabled for users to sign in) or exclude it from the Conditional Access policy that blocks it.';

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
    title: 'Application or tenant not found',
    explanation:
      'Entra ID issued no access token: it does not know the tenant (AADSTS90002), the client (application) ID in this tenant (AADSTS700016), or Microsoft Graph in this tenant (AADSTS500011). The tenant ID or client ID is wrong, or the app was never consented to in this tenant.',
    fix: 'Check the tenant ID (Directory (tenant) ID or the tenant\'s domain) and the Application (client) ID on the app registration overview page in Entra ID; for a multi-tenant app, have an administrator of this tenant consent to it.',
    permanent: true,
    examples: [
      "AADSTS700016: Application with identifier '…' was not found in the directory 'contoso.com'.",
      "AADSTS90002: Tenant 'contoso.onmicrosoft.con' not found.",
      'AADSTS500011: The resource principal named https://graph.microsoft.com was not found in the tenant.',
    ],
    match: anyOf(serviceCodeIn('AADSTS700016', 'AADSTS90002', 'AADSTS500011'), textMatches(/AADSTS(?:700016|90002|500011)\b/)),
  },
  {
    code: ErrorCodes.MSAL_INVALID_CLIENT_CERTIFICATE,
    category: 'authentication',
    title: 'Certificate credential rejected',
    explanation:
      'Entra ID issued no access token: it rejected the client assertion signed with the app\'s certificate. Either the signature does not match a certificate uploaded to the app registration (AADSTS700027: wrong certificate, private key or thumbprint, or the certificate was removed or has expired), or the assertion\'s validity time is off (AADSTS700024: this machine\'s clock is wrong).',
    fix: 'Under App registrations > Certificates & secrets > Certificates, check that the certificate whose private key is in the Exchange settings is uploaded and not expired, and that its SHA-256 thumbprint matches; check that this machine\'s clock is synchronized; then send a test email.',
    permanent: true,
    examples: ['AADSTS700027: Client assertion failed signature validation.', 'AADSTS700024: Client assertion is not within its valid time range.'],
    match: anyOf(serviceCodeIn('AADSTS700027', 'AADSTS700024'), textMatches(/AADSTS7000(?:27|24)\b/)),
  },
  {
    code: ErrorCodes.MSAL_TOKEN_REFUSED,
    category: 'authorization',
    title: 'Entra ID refused the token request',
    explanation:
      'Entra ID issued no access token, so nothing was sent to Exchange: the application is disabled in the tenant (AADSTS7000112), a Conditional Access policy blocks it (AADSTS53003), or another AADSTS code in the reply says why.',
    fix: MSAL_TOKEN_REFUSED_FIX,
    permanent: true,
    examples: ['AADSTS7000112: Application is disabled.', 'AADSTS53003: Access has been blocked by Conditional Access policies.'],
    match: anyOf(serviceCodeIn('AADSTS7000112', 'AADSTS53003'), textMatches(/AADSTS(?:7000112|53003)\b/)),
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
      'The connection broke (or the gateway timed out) after the send request reached Exchange, so the email may have been sent, and the mailbox cannot tell: with saveToSentItems off a sent message leaves no copy, or the app may not read the mailbox. It is not retried: retrying could send it twice.',
    fix: 'Look for the email in a message trace (Exchange admin center > Mail flow > Message trace) by its Message-ID and resend it by hand if it is not there. So that mailwright can check before retrying, keep saveToSentItems on and grant Mail.ReadBasic.All (Application) or Mail.ReadBasic (Delegated).',
    permanent: true,
    examples: ['OutcomeUnknown: socket hang up after POST /users/{mailbox}/sendMail'],
    match: serviceCodeIn('OutcomeUnknown'),
  },
  {
    code: ErrorCodes.SEND_IN_TRANSIT,
    category: 'transient',
    title: 'Earlier attempt still in transit',
    explanation:
      'An earlier attempt of this email may have been accepted: a copy with its Message-ID is in the Drafts folder, where Exchange keeps an accepted message until transport moves it to Sent Items. It is looked for again after the wait instead of being sent twice; a draft that never left is deleted then and the email sent.',
    fix: 'None: queued email is retried automatically after the wait, and is then found in Sent Items, or sent if the earlier draft never left; an interactive email can be sent again after the wait.',
    permanent: false,
    examples: ['InTransit: an earlier attempt of this email is in the Drafts folder of batch@contoso.com'],
    match: serviceCodeIn('InTransit'),
  },
  {
    code: ErrorCodes.CONDITIONAL_ACCESS_CHALLENGE,
    category: 'authentication',
    title: 'Conditional Access requires the user to sign in again',
    explanation:
      "Entra ID issued no token on the user's behalf: a Conditional Access policy (multi-factor authentication, a compliant device, a new location) needs the user to sign in interactively. The error's details.claims holds the claims challenge.",
    fix: "In the host application, have the user sign in again and pass details.claims as the claims of the sign-in request (MSAL: acquireToken… with { claims }); then send again with the new token.",
    permanent: true,
    examples: ['interaction_required: AADSTS50079: Due to a configuration change made by your administrator, you must enroll in multi-factor authentication', '401 insufficient_claims (Continuous Access Evaluation)'],
    match: anyOf(serviceCodeIn('interaction_required', 'insufficient_claims'), textMatches(/insufficient_claims/)),
  },
  {
    code: ErrorCodes.SENDER_MAILBOX_FULL,
    category: 'configuration',
    title: 'Sending mailbox full',
    explanation:
      'The sending mailbox (the batch account, or the user\'s own mailbox) is over its storage quota, so Exchange cannot save the message in it to send it. This is the sender\'s mailbox, not the recipient\'s.',
    fix: 'Free space in the sending mailbox (empty Deleted Items, archive or delete old Sent Items, or turn saveToSentItems off for the batch account), or raise its quota in the Exchange admin center. Queued email is retried automatically with back-off; an interactive email can be sent again once there is room.',
    permanent: false,
    examples: ['403 ErrorQuotaExceeded: The process failed to allocate memory / mailbox is over quota'],
    match: serviceCodeIn('ErrorQuotaExceeded', 'ErrorQuotaExceededOnDelete'),
  },
  {
    code: ErrorCodes.INVALID_RECIPIENTS,
    category: 'recipient',
    title: 'Recipients refused by Exchange',
    explanation: 'Exchange refused the message because at least one recipient is not valid (an address it cannot resolve or accept), so nothing was sent.',
    fix: 'Check the To, Cc and Bcc addresses for typos or addresses that are not email addresses, correct them, and send again.',
    permanent: true,
    examples: ['400 ErrorInvalidRecipients: At least one recipient is not valid., Recipient \'x\' is not resolved.'],
    match: serviceCodeIn('ErrorInvalidRecipients', 'ErrorInvalidRecipientSubfilter'),
  },
  {
    code: ErrorCodes.GRAPH_ITEM_NOT_FOUND,
    category: 'transient',
    title: 'Draft gone from the mailbox',
    explanation:
      'The draft or message a request named is no longer in the mailbox (someone or a retention policy deleted it while the email was being built). The mailbox itself exists.',
    fix: 'None for one email: the next attempt builds a new draft. If it happens often, check for rules or retention policies that delete drafts in the sending mailbox.',
    permanent: false,
    examples: ['404 ErrorItemNotFound: The specified object was not found in the store.'],
    match: serviceCodeIn('ErrorItemNotFound'),
  },
  {
    code: ErrorCodes.GRAPH_ACCESS_POLICY_DENIED,
    category: 'authorization',
    title: 'Mailbox outside the app\'s access policy (403)',
    explanation:
      'An Exchange application access policy, or an RBAC for Applications management scope, restricts the app, and this mailbox is not in it. The app\'s Graph permissions are fine.',
    fix: 'In Exchange Online PowerShell, check with Test-ServicePrincipalAuthorization -Identity <app> -Resource <mailbox> (RBAC for Applications) or Test-ApplicationAccessPolicy -Identity <mailbox> -AppId <client id>, and add the mailbox to the management scope or the policy\'s mail-enabled security group. Changes can take up to an hour to apply.',
    permanent: true,
    examples: ['403 ErrorAccessDenied: Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.'],
    match: (raw) => raw.httpStatus === 403 && textMatches(/\[RAOP\]|AccessPolicy|RBAC|management scope/i)(raw),
  },
  {
    // Any other AADSTS refusal: no token, nothing reached the mail server. Transient ones (429, 5xx) are left to the rate-limit and service-unavailable entries.
    code: ErrorCodes.MSAL_TOKEN_REFUSED,
    category: 'authorization',
    title: 'Entra ID refused the token request',
    explanation: 'Entra ID issued no access token, so nothing was sent to Exchange; the AADSTS code in the reply says why.',
    fix: MSAL_TOKEN_REFUSED_FIX,
    permanent: true,
    examples: ['AADSTS50034: The user account does not exist in the directory.'],
    match: (raw) => raw.protocol === 'token' && /^AADSTS\d+$/.test(raw.serviceCode ?? '') && raw.httpStatus !== 429 && !(raw.httpStatus !== undefined && raw.httpStatus >= 500),
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
