import type { Client } from '@microsoft/microsoft-graph-client';
import { ErrorCodes } from '../../errors/error-codes.js';
import type { ExchangeSettings } from '../../parameters/exchange-settings.js';
import { connectionResult, problemFrom, type ConnectionCheck, type ConnectionCheckResult, type VerifyConnectionOptions } from '../connection-check.js';
import { EXCHANGE_CLOUDS } from './exchange-clouds.js';
import { graphFailure } from './graph-failure.js';
import { GraphTranscript } from './graph-http-handler.js';
import { userPath } from './graph-mail-sender.js';

/** What the check needs from the provider. */
export interface ExchangeCheckDeps {
  providerId: string;
  batch: boolean;
  interactive: boolean;
  /** The host gave a way to get the signed-in user's token (userAssertion or userAccessToken). */
  delegatedConfigured: boolean;
  settings: () => Promise<ExchangeSettings>;
  appToken: (settings: ExchangeSettings) => Promise<string>;
  client: (settings: ExchangeSettings, token: string, transcript: GraphTranscript) => Promise<Client>;
  nowMs: () => number;
}

/** Application permissions each feature needs, the first named in fixes; any one of them is enough. */
const FEATURES: { name: string; feature: string; permissions: string[]; required: boolean }[] = [
  { name: 'permission.send', feature: 'sending email', permissions: ['Mail.Send'], required: true },
  { name: 'permission.largeAttachments', feature: 'attachments over about 3 MB (a draft, attachments and upload sessions)', permissions: ['Mail.ReadWrite'], required: false },
  { name: 'permission.duplicateCheck', feature: 'checking the mailbox before retrying a send that may have gone out (never sending twice)', permissions: ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'], required: false },
  { name: 'permission.inboxRules', feature: 'reading inbox rules for the forwarding audit', permissions: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'], required: false },
];

/** The `roles` claim of an app-only access token, when it can be read (Graph tokens are JWTs today). */
function rolesOf(token: string): string[] | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return undefined;
  }
}

function permissionChecks(roles: string[] | undefined): ConnectionCheck[] {
  if (roles === undefined) return [{ name: 'permissions', status: 'warning', message: 'The access token cannot be read, so its permissions are not listed.' }];
  return FEATURES.map(({ name, feature, permissions, required }) => {
    const held = permissions.find((p) => roles.includes(p));
    if (held !== undefined) return { name, status: 'ok', message: `${held}: ${feature}` };
    return {
      name,
      status: required ? 'problem' : 'warning',
      message: `The app lacks ${permissions.join(' or ')} (Application), needed for ${feature}. Its permissions: ${roles.join(', ') || 'none'}.`,
      code: ErrorCodes.GRAPH_ACCESS_DENIED,
      fix: `In App registrations > API permissions, add Microsoft Graph ${permissions[0]} as an Application permission and click "Grant admin consent".`,
    };
  });
}

/**
 * Checks an Exchange provider without sending: settings, the cloud's features, an app-only
 * token, its permissions against each feature, the batch mailbox (read of its Drafts folder:
 * found, inside the access policy), Send As where it can be told, and interactive setup.
 */
export async function checkExchangeConnection(deps: ExchangeCheckDeps, options: VerifyConnectionOptions = {}): Promise<ConnectionCheckResult> {
  const checks: ConnectionCheck[] = [];
  const done = (): ConnectionCheckResult => connectionResult(deps.providerId, checks);
  let settings: ExchangeSettings;
  try {
    settings = await deps.settings();
  } catch (error) {
    checks.push(problemFrom('settings', error));
    return done();
  }
  const cloud = EXCHANGE_CLOUDS[settings.cloud];
  checks.push({ name: 'settings', status: 'ok', message: `Settings for ${cloud.name} (Entra ID ${cloud.authorityHost}, Graph ${cloud.graphHost}).` });
  if (!cloud.uploadSessions) {
    checks.push({
      name: 'cloud',
      status: 'warning',
      message: `${cloud.name} has no upload sessions for Outlook attachments: an attachment must fit in one 4 MB request (about 3 MB of file); larger ones are refused before sending.`,
      code: ErrorCodes.ATTACHMENT_TOO_LARGE,
      fix: 'Send larger files as links, or send such email with the SMTP provider.',
    });
  }
  if (deps.interactive && !deps.delegatedConfigured) {
    checks.push({ name: 'interactive', status: 'warning', message: 'No way to get the signed-in user\'s token: interactive sending will fail.', code: ErrorCodes.PROVIDER_NOT_CONFIGURED, fix: 'Pass exchangeProvider({ userAssertion }) (on-behalf-of) or exchangeProvider({ userAccessToken }), or make the provider batch-only (interactive: false).' });
  }
  let token: string;
  try {
    token = await deps.appToken(settings);
  } catch (error) {
    checks.push(problemFrom('token', error));
    return done();
  }
  checks.push({ name: 'token', status: 'ok', message: `Entra ID issued an app-only token for ${cloud.graphHost}.` });
  checks.push(...permissionChecks(rolesOf(token)));
  const mailbox = settings.batchMailbox;
  if (mailbox === undefined) {
    if (deps.batch) checks.push({ name: 'mailbox', status: 'problem', message: 'No batch account mailbox is set: queued email cannot be sent.', code: ErrorCodes.PROVIDER_NOT_CONFIGURED, fix: 'Set batchMailbox in the Exchange settings to the mailbox batch email is sent from.' });
    return done();
  }
  const transcript = new GraphTranscript();
  try {
    await (await deps.client(settings, token, transcript)).api(`${userPath(mailbox)}/mailFolders/drafts?$select=id`).get();
    checks.push({ name: 'mailbox', status: 'ok', message: `${mailbox} is an Exchange Online mailbox the app may use.` });
  } catch (error) {
    const failure = graphFailure(error, { transcript, sendPosted: false, canCheckSentItems: false, nowMs: deps.nowMs() });
    if (failure.code === ErrorCodes.GRAPH_ACCESS_DENIED) {
      checks.push({ name: 'mailbox', status: 'warning', message: `${mailbox} could not be probed: reading its folders needs Mail.ReadBasic.All, which the app lacks. Sending may still work.`, code: failure.code, fix: 'Grant Mail.ReadBasic.All (Application) so the batch mailbox can be checked, and so retries can be checked for duplicates.' });
    } else {
      checks.push(problemFrom('mailbox', failure));
    }
  }
  const from = options.from;
  if (from !== undefined && from.toLowerCase() !== mailbox.toLowerCase()) {
    checks.push({
      name: 'sendAs',
      status: 'warning',
      message: `Whether ${mailbox} may send as ${from} cannot be checked through Graph without sending.`,
      code: ErrorCodes.SEND_AS_DENIED,
      fix: `In Exchange Online PowerShell: Get-RecipientPermission -Identity ${from} -Trustee ${mailbox} (Send As) and (Get-Mailbox ${from}).GrantSendOnBehalfTo (Send on Behalf); or send a test email with that From.`,
    });
  }
  return done();
}
