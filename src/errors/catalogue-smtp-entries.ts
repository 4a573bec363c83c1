import { anyOf, enhancedIn, errnoIn, textMatches, type CatalogueEntry } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/** SMTP authentication, TLS and policy failures. Order matters: the first match wins. */
export const smtpSecurityEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.SMTP_AUTH_MECHANISM_UNSUPPORTED,
    category: 'configuration',
    title: 'The server offers no AUTH mechanism for a password',
    explanation:
      'The SMTP server offers authentication, but only mechanisms that do not take a user name and password (XOAUTH2, or NTLM / GSSAPI on Exchange Server); mailwright signs in with the password, which needs AUTH PLAIN, LOGIN or CRAM-MD5. The message names the mechanisms offered.',
    fix: 'Use a server (or port) and mailbox that allow AUTH PLAIN or LOGIN over TLS (on Exchange Server, a receive connector with Basic authentication after TLS), or, to sign in with OAuth, the Exchange (Graph) provider.',
    permanent: true,
    examples: ['Server does not support authentication with a password: its EHLO reply offers AUTH XOAUTH2, but not PLAIN or LOGIN'],
    match: errnoIn('ENOAUTHMECH'),
  },
  {
    code: ErrorCodes.SMTP_AUTH_WITHOUT_TLS,
    category: 'tls',
    title: 'Credentials would be sent without encryption',
    explanation:
      'TLS is not required in the SMTP settings and the server offered no STARTTLS, so the connection is not encrypted. A user name and password sent now (AUTH PLAIN or LOGIN) could be read by anyone on the network path, so mailwright did not send them, nor the email.',
    fix: 'Use the server\'s TLS port or turn on STARTTLS on the server (and set "TLS required"). Only for a trusted internal relay on a protected network, set allowInsecureAuth: true in the SMTP settings (`mailwright smtp set --no-require-tls --allow-insecure-auth`), or send without a user name if the relay does not need one.',
    permanent: true,
    examples: ['The connection is not encrypted (the server offers no STARTTLS), so the user name and password would be sent in clear; AUTH was not sent'],
    match: errnoIn('EINSECUREAUTH'),
  },
  {
    code: ErrorCodes.SMTP_AUTH_NOT_SUPPORTED,
    category: 'configuration',
    title: 'The server does not support authentication',
    explanation:
      'A user name is configured, but the SMTP server does not offer AUTH. mailwright does not fall back to sending unauthenticated, because the server would then treat the email differently from what you configured.',
    fix: 'The server does not support authentication: clear the user name and password (and turn off "authentication required"), or use the server\'s authenticated submission port (587) with TLS.',
    permanent: true,
    examples: ['Server does not support authentication (no AUTH in the EHLO reply)'],
    match: anyOf(errnoIn('ENOAUTH'), textMatches(/does not support authentication|AUTH (?:is )?not (?:supported|available|offered)|authentication not enabled/i)),
  },
  {
    code: ErrorCodes.SMTP_AUTH_DISABLED,
    category: 'authentication',
    title: 'SMTP AUTH is disabled for the mailbox or tenant',
    explanation:
      'Microsoft 365 refused the login because SMTP client authentication (basic SMTP AUTH) is turned off for the mailbox or the whole tenant, or blocked by security defaults or a Conditional Access policy.',
    fix: 'In the Microsoft 365 admin center, open the mailbox > Mail > Manage email apps and turn on "Authenticated SMTP" (or Set-CASMailbox -SmtpClientAuthenticationDisabled $false); if security defaults are on, use the Exchange (Graph) provider instead.',
    permanent: true,
    examples: [
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
      '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.',
    ],
    match: anyOf(enhancedIn('5.7.139'), textMatches(/SmtpClientAuthentication is disabled|basic authentication is disabled/i)),
  },
  {
    code: ErrorCodes.AUTH_FAILED,
    category: 'authentication',
    title: 'Authentication unsuccessful',
    explanation:
      'The SMTP server rejected the user name or password. With multi-factor authentication (MFA) turned on, the normal account password does not work for SMTP.',
    fix: 'Re-enter the user name and password. If the account uses MFA, create an app password (or use the Exchange/Graph provider with OAuth), and check the account is not locked.',
    permanent: true,
    examples: ['535 5.7.3 Authentication unsuccessful', '535 5.7.8 Username and Password not accepted', '535 Incorrect authentication data'],
    match: (raw) => raw.smtpCode === 535 || enhancedIn('5.7.3', '5.7.8')(raw) || raw.errno === 'EAUTH',
  },
  {
    code: ErrorCodes.CLIENT_NOT_AUTHENTICATED,
    category: 'authentication',
    title: 'Client was not authenticated to send mail',
    explanation: 'The server requires a login before it accepts email (MAIL FROM), but the connection was not authenticated.',
    fix: 'Turn on "authentication required" and enter the user name and password of a licensed mailbox, with TLS on port 587.',
    permanent: true,
    examples: ['530 5.7.57 Client not authenticated to send mail', '530 5.7.0 Authentication required'],
    match: anyOf(enhancedIn('5.7.57'), (raw) => raw.smtpCode === 530, textMatches(/not authenticated|authentication required/i)),
  },
  {
    code: ErrorCodes.TLS_REQUIRED_NOT_OFFERED,
    category: 'tls',
    title: 'TLS is required but the server does not offer STARTTLS',
    explanation: 'The settings require an encrypted connection, but the server did not offer STARTTLS, so nothing was sent (no password travels in clear text).',
    fix: 'Use the server\'s TLS port (587 with STARTTLS, or 465 with implicit TLS), or ask the mail administrator to enable STARTTLS. Turn off "TLS required" only for a trusted internal relay.',
    permanent: true,
    examples: ['Server does not support STARTTLS', '530 5.7.0 Must issue a STARTTLS command first'],
    match: textMatches(/(?:does not|doesn't) support STARTTLS|STARTTLS (?:is )?(?:not offered|required)|Must issue a STARTTLS/i),
  },
  {
    code: ErrorCodes.TLS_FAILED,
    category: 'tls',
    title: 'TLS / certificate error',
    explanation:
      'The encrypted connection could not be set up: the server certificate is self-signed, expired, issued for another host name, or the server and client share no TLS version.',
    fix: 'Check the host name matches the server certificate, that the certificate is valid and trusted (add the private CA with the `ca` setting), and that the server supports TLS 1.2 or later.',
    permanent: true,
    examples: ['self-signed certificate', "Hostname/IP does not match certificate's altnames", 'certificate has expired', '454 4.7.0 TLS not available'],
    match: anyOf(
      errnoIn('ETLS', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER'),
      (raw) => raw.errno?.startsWith('ERR_TLS') === true || raw.errno?.startsWith('ERR_SSL') === true || raw.errno?.startsWith('CERT_') === true,
      textMatches(/self[- ]signed|certificate|wrong version number|ssl routines|TLS not available|handshake/i),
    ),
  },
  {
    code: ErrorCodes.SEND_AS_DENIED,
    category: 'authorization',
    title: 'No permission to send as this sender',
    explanation:
      'The server accepted the login but refused the From address: the authenticated mailbox has no Send As or Send on Behalf permission for that address, or the sender name or casing does not match the mailbox the server knows.',
    fix: 'Grant the authenticated mailbox Send As, Send on Behalf or delegate access for the sender address (Exchange admin center > mailbox > Delegation; Google Workspace: add it under Gmail > Settings > Accounts > Send mail as; Amazon SES, SendGrid: verify the address or its domain), check the sender address and its casing match the server, or send from the mailbox address itself.',
    permanent: true,
    examples: [
      '550 5.7.1 Client does not have permissions to send as this sender',
      '554 5.2.252 SendAsDenied; user@contoso.com not allowed to send as sender@contoso.com',
      '550 5.7.60 SMTP; Client does not have permissions to send as this sender',
      '403 ErrorSendAsDenied',
      '554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: ana@contoso.com',
      '550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
      '553 5.7.1 <ana@contoso.com>: Sender address rejected: not owned by user helpdesk@contoso.com',
      '553 Relaying disallowed as ana@contoso.com',
    ],
    match: anyOf(
      enhancedIn('5.7.60', '5.2.252'),
      textMatches(
        /SendAsDenied|permissions? to send as|not allowed to send as|send on behalf|email address is not verified|does not match a verified sender identity|sender address rejected: not owned by|relaying disallowed as/i,
      ),
    ),
  },
];
