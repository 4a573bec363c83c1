/** The Microsoft cloud a tenant lives in. */
export type ExchangeCloud = 'global' | 'usGovHigh' | 'usGovDoD' | 'china';

/** What mailwright needs to know of one cloud. */
export interface ExchangeCloudInfo {
  /** Name for messages, e.g. "Microsoft 365 GCC High (US Government L4)". */
  name: string;
  /** Entra ID authority host. */
  authorityHost: string;
  /** Microsoft Graph host; the app-only scope is `https://{graphHost}/.default`. */
  graphHost: string;
  /** Upload sessions for Outlook attachments (attachment: createUploadSession) are available. */
  uploadSessions: boolean;
}

/**
 * Authority and Graph hosts per cloud (Microsoft Graph "national cloud deployments"), and the
 * features a cloud lacks. GCC (not High) tenants use the global cloud. Upload sessions for
 * Outlook attachments are listed for the global and US Government clouds only, not for
 * 21Vianet's China cloud: there an attachment must fit in one 4 MB request.
 */
export const EXCHANGE_CLOUDS: Record<ExchangeCloud, ExchangeCloudInfo> = {
  global: { name: 'the global Microsoft 365 cloud', authorityHost: 'login.microsoftonline.com', graphHost: 'graph.microsoft.com', uploadSessions: true },
  usGovHigh: { name: 'Microsoft 365 GCC High (US Government L4)', authorityHost: 'login.microsoftonline.us', graphHost: 'graph.microsoft.us', uploadSessions: true },
  usGovDoD: { name: 'Microsoft 365 DoD (US Government L5)', authorityHost: 'login.microsoftonline.us', graphHost: 'dod-graph.microsoft.us', uploadSessions: true },
  china: { name: 'Microsoft 365 operated by 21Vianet (China)', authorityHost: 'login.chinacloudapi.cn', graphHost: 'microsoftgraph.chinacloudapi.cn', uploadSessions: false },
};

/** The cloud names, for validation. */
export const EXCHANGE_CLOUD_NAMES = Object.keys(EXCHANGE_CLOUDS) as [ExchangeCloud, ...ExchangeCloud[]];
