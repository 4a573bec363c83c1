import type { SettingsCatalogue } from './settings-catalogue.js';

/** The English texts of the settings screens. */
export const catalogueEn: SettingsCatalogue = {
  language: 'en',
  schemas: {
    emailParameters: { title: 'Email parameters', description: 'How the application sends email: the batch provider, the size limit, the history retention and throttling.' },
    smtpSettings: { title: 'SMTP settings', description: 'The SMTP server that sends email and how mailwright signs in to it. The password is stored encrypted.' },
    exchangeSettings: {
      title: 'Exchange Online settings',
      description: 'The Microsoft Entra app registration and the batch account that send email through Microsoft Graph. The client secret or private key is stored encrypted.',
    },
    userEmailOptions: { title: 'User email options', description: "A user's own sending options." },
  },
  fields: {
    'emailParameters.batchProviderId': {
      title: 'Batch email provider',
      description: 'The provider that sends queued (non-interactive) email. While none is set, queued email waits.',
      invalid: 'Choose a provider that can send batch email, or none.',
    },
    'emailParameters.attachmentSizeLimitBytes': {
      title: 'Attachment size limit (bytes)',
      description: 'The largest size of ONE email as encoded: its body and all its attachments. A larger email is refused before any provider is called. Default 26214400 (25 MiB).',
      invalid: 'Enter the limit in bytes, a whole number greater than 0 (26214400 is 25 MiB).',
    },
    'emailParameters.historyRetentionDays': {
      title: 'History retention (days)',
      description: 'Finished history records older than this are deleted. 0 means the default, 30 days, never "keep nothing".',
      invalid: 'Enter a whole number of days from 0 to 36500 (0 means the default, 30).',
    },
    'emailParameters.perMinuteLimits': {
      title: 'Per-minute limits',
      description: 'The most emails each provider may send in one minute; 0 means no limit. A provider left out gets its automatic limit: 30 for Microsoft 365, else none.',
      invalid: "Give each provider's limit as a whole number of emails per minute (0 means no limit).",
    },
    'emailParameters.perMinuteLimits.*': {
      title: 'Emails per minute',
      description: "This provider's per-minute limit; 0 means no limit. Leave it out for the automatic limit.",
      invalid: 'Enter a whole number of emails per minute, 0 or more (0 means no limit).',
    },
    'emailParameters.maxDeferrals': {
      title: 'Maximum deferrals',
      description: 'Deferrals after which an email is sent even though the per-minute limit is reached. Default 10.',
      invalid: 'Enter a whole number of deferrals, 0 or more.',
    },
    'emailParameters.maxAttempts': {
      title: 'Maximum attempts',
      description: 'Attempts after a temporary failure before the email fails. Default 5.',
      invalid: 'Enter a whole number of attempts from 1 to 100.',
    },
    'smtpSettings.host': { title: 'SMTP server', description: 'Host name of the SMTP server, e.g. smtp.office365.com.', invalid: 'Enter the SMTP server host name, e.g. smtp.office365.com.' },
    'smtpSettings.port': { title: 'Port', description: '587 for STARTTLS (typical), 465 for implicit TLS, 25 for a relay. Default 587.', invalid: 'Enter a port number from 1 to 65535 (587 is typical).' },
    'smtpSettings.requireTls': {
      title: 'Require TLS',
      description: 'Send only over an encrypted connection (STARTTLS, or implicit TLS on port 465). Default on.',
      invalid: 'Choose whether TLS is required: true or false.',
    },
    'smtpSettings.implicitTls': {
      title: 'Implicit TLS',
      description: 'Encrypt from the first byte (SMTPS). Default: on for port 465, else off.',
      invalid: 'Choose whether to use implicit TLS: true or false, or leave it unset.',
    },
    'smtpSettings.requireAuth': { title: 'Authentication required', description: 'Sign in with a user name and password. Default on.', invalid: 'Choose whether authentication is required: true or false.' },
    'smtpSettings.allowInsecureAuth': {
      title: 'Allow sign-in without TLS',
      description:
        'Send the user name and password even over an unencrypted connection (TLS not required and no STARTTLS offered): anyone on the network path can read them. Only for a trusted internal relay. Default off.',
      invalid: 'Choose whether to allow signing in without TLS: true or false.',
    },
    'smtpSettings.username': {
      title: 'User name',
      description: 'The account mailwright signs in as, often the mailbox address.',
      invalid: 'Enter the user name, or leave it empty when authentication is not required.',
    },
    'smtpSettings.password': {
      title: 'Password',
      description: 'Stored encrypted and never shown again. Leave it empty to keep the stored password.',
      invalid: 'Enter the password, or leave it empty to keep the stored one.',
    },
    'smtpSettings.mailbox': {
      title: 'Mailbox',
      description: 'Address of the signed-in mailbox, the Sender of email sent on behalf of a user. Default: the user name, when it is an email address.',
      invalid: 'Enter the mailbox as an email address, e.g. noreply@contoso.com.',
    },
    'smtpSettings.connectionTimeoutMs': {
      title: 'Connection timeout (ms)',
      description: 'How long to wait for the server, in milliseconds. Default 30000.',
      invalid: 'Enter a whole number of milliseconds greater than 0, e.g. 30000.',
    },
    'smtpSettings.ca': { title: 'Trusted CA certificates', description: 'Extra certificate authorities to trust, in PEM (a private CA).', invalid: 'Paste the CA certificates in PEM form, or leave the field empty.' },
    'smtpSettings.servername': { title: 'TLS server name', description: "Host name to check the server's certificate against. Default: the SMTP server.", invalid: 'Enter a host name, or leave the field empty.' },
    'exchangeSettings.cloud': {
      title: 'Microsoft cloud',
      description: "The tenant's cloud: global (also GCC), usGovHigh (GCC High), usGovDoD (DoD) or china (21Vianet). Default global.",
      invalid: 'Choose the cloud: global, usGovHigh, usGovDoD or china.',
    },
    'exchangeSettings.tenantId': {
      title: 'Directory (tenant) ID',
      description: "From the app registration's overview: a GUID, or the tenant domain such as contoso.onmicrosoft.com.",
      invalid: 'Enter the Directory (tenant) ID from the app registration overview (a GUID) or the tenant domain.',
    },
    'exchangeSettings.clientId': {
      title: 'Application (client) ID',
      description: "From the app registration's overview (a GUID).",
      invalid: 'Enter the Application (client) ID from the app registration overview (a GUID).',
    },
    'exchangeSettings.clientSecret': {
      title: 'Client secret',
      description: "The secret's Value, not its ID. Stored encrypted and never shown again. Give this or a certificate; leave it empty to keep the stored credential.",
      invalid: 'Enter the client secret value, or leave it empty to keep the stored one.',
    },
    'exchangeSettings.certificate': {
      title: 'Certificate',
      description: 'A certificate credential instead of a client secret: its thumbprint and private key.',
      invalid: "Give the certificate's SHA-256 thumbprint and its private key.",
    },
    'exchangeSettings.certificate.thumbprintSha256': {
      title: 'Certificate thumbprint (SHA-256)',
      description: "The certificate's SHA-256 thumbprint: 64 hexadecimal digits.",
      invalid: "Enter the certificate's SHA-256 thumbprint (64 hex digits).",
    },
    'exchangeSettings.certificate.privateKey': {
      title: 'Private key',
      description: 'In PEM form (-----BEGIN PRIVATE KEY-----). Stored encrypted and never shown again. Leave it empty to keep the stored key of the same certificate.',
      invalid: 'Paste the private key in PEM form (-----BEGIN PRIVATE KEY-----).',
    },
    'exchangeSettings.certificate.x5c': {
      title: 'Certificate chain',
      description: 'The public certificate chain in PEM, sent as x5c (for subject name and issuer authentication).',
      invalid: 'Paste the certificate chain in PEM form, or leave the field empty.',
    },
    'exchangeSettings.certificate.pfx': {
      title: 'PFX file',
      description: 'Or the certificate and its private key as a PKCS#12 file (.pfx or .p12), base64. Read when saved; only the private key is stored, encrypted.',
      invalid: 'Give the PFX file as base64 text, or leave the field empty.',
    },
    'exchangeSettings.certificate.pfxPassword': {
      title: 'PFX password',
      description: 'The password of the PFX file. Used once to read it, never stored.',
      invalid: 'Enter the PFX password as text, or leave the field empty.',
    },
    'exchangeSettings.clientAssertion': {
      title: 'Client assertion',
      description: 'The credential is a signed assertion the application supplies (workload identity federation), given in code with exchangeProvider({ clientAssertion }).',
      invalid: 'Set it to true, or leave it out.',
    },
    'exchangeSettings.managedIdentity': {
      title: 'Managed identity',
      description: "The credential is the Azure managed identity of the machine: true for the system-assigned one, or a user-assigned one's client ID.",
      invalid: "Set it to true for the system-assigned identity, or give the user-assigned identity's client ID.",
    },
    'exchangeSettings.managedIdentity.clientId': {
      title: 'Managed identity client ID',
      description: 'The client ID of a user-assigned managed identity (a GUID).',
      invalid: "Enter the managed identity's client ID (a GUID).",
    },
    'exchangeSettings.authorityHost': {
      title: 'Authority host',
      description: "The Entra ID host of the cloud; leave it empty, the cloud decides it (login.microsoftonline.com, login.microsoftonline.us or login.chinacloudapi.cn).",
      invalid: 'Enter the authority host of the chosen cloud (login.microsoftonline.com, login.microsoftonline.us or login.chinacloudapi.cn), or leave it empty.',
    },
    'exchangeSettings.batchMailbox': { title: 'Batch account', description: 'The mailbox queued email is sent from.', invalid: 'Enter the batch account mailbox as an email address.' },
    'exchangeSettings.saveToSentItems': {
      title: 'Save to Sent Items',
      description: "Keep a copy in the sending mailbox's Sent Items (it also lets an uncertain send be checked before a retry). Default on.",
      invalid: 'Choose whether to save to Sent Items: true or false.',
    },
    'userEmailOptions.senderEmail': {
      title: 'Sender email',
      description:
        "Send from this address instead of the user's own (needs Send As or Send On Behalf on the server), e.g. sales@contoso.com; internationalized addresses are allowed. mailwright checks it as it checks the From address of an email.",
      invalid: 'Enter a valid email address, e.g. sales@contoso.com.',
    },
    'userEmailOptions.senderName': { title: 'Sender name', description: "Display name for the Sender email. Default: the user's display name.", invalid: 'Enter a name on one line, or leave the field empty.' },
    'userEmailOptions.providerId': {
      title: 'Email provider',
      description: 'The provider the user sends with. Empty: the user is asked each time.',
      invalid: 'Choose a provider the user can send with, or none to be asked each time.',
    },
    'userEmailOptions.doNotAskAgain': { title: 'Do not ask again', description: 'The user chose a provider and asked not to be asked again.', invalid: 'Choose true or false.' },
    'userEmailOptions.emailNotifications': { title: 'Email notifications', description: 'Receive workflow notifications by email. Default off.', invalid: 'Choose true or false.' },
    'userEmailOptions.language': { title: 'Language', description: 'Preferred language, a BCP 47 tag such as fr or fr-CA.', invalid: 'Use a language tag such as fr or fr-CA.' },
  },
  messages: {
    unknownField: '"{field}" is not a setting; the settings are {fields}.',
    unknownProvider: 'No provider "{provider}"; registered: {registered}.',
    notBatchProvider: '"{provider}" cannot send batch email (it is interactive only).',
    notInteractiveProvider: '"{provider}" cannot be chosen for interactive sending.',
    authNeedsUsername: 'Authentication is required: enter the user name and password, or turn off "authentication required".',
    usernameNeedsPassword: 'A user name was given without a password: enter the password, or clear the user name.',
    passwordNeedsUsername: 'A password was given without a user name.',
    storedPasswordNeedsUsername: 'A password is stored but no user name is given: clear the stored password too, or enter the user name.',
    oneCredential:
      'Give exactly one credential: the client secret value, a certificate (thumbprint and private key, or a PFX file), clientAssertion (with exchangeProvider({ clientAssertion })), or managedIdentity.',
    certificateNeedsPrivateKey: 'Paste the private key of this certificate: none is stored for it.',
    certificateNeedsThumbprint: "Give the certificate's SHA-256 thumbprint and its private key (PEM), or the PFX file.",
    pfxOrKey: 'Give either a PFX file or a thumbprint and private key, not both.',
    pfxUnreadable: '{reason}',
    tenantIdNeeded: 'Enter the Directory (tenant) ID from the app registration overview (a GUID) or the tenant domain.',
    clientIdNeeded: 'Enter the Application (client) ID from the app registration overview (a GUID).',
    authorityHostNotCloud: "The authority host of {cloud} is {host}; for another cloud set cloud to 'global', 'usGovHigh', 'usGovDoD' or 'china', or leave the authority host empty.",
  },
};
