/** The Microsoft clouds the stand-in can play, with the hosts each answers on. */
export type StandInCloud = 'global' | 'usGovHigh' | 'usGovDoD' | 'china';

/** Hosts of one cloud: Entra ID, Microsoft Graph, and the Outlook host of upload URLs. */
export interface StandInCloudHosts {
  login: string;
  graph: string;
  outlook: string;
}

/** From Microsoft Graph's "national cloud deployments" and Exchange Online's endpoints per cloud. */
export const STAND_IN_CLOUDS: Record<StandInCloud, StandInCloudHosts> = {
  global: { login: 'login.microsoftonline.com', graph: 'graph.microsoft.com', outlook: 'outlook.office.com' },
  usGovHigh: { login: 'login.microsoftonline.us', graph: 'graph.microsoft.us', outlook: 'outlook.office365.us' },
  usGovDoD: { login: 'login.microsoftonline.us', graph: 'dod-graph.microsoft.us', outlook: 'outlook-dod.office365.us' },
  china: { login: 'login.chinacloudapi.cn', graph: 'microsoftgraph.chinacloudapi.cn', outlook: 'partner.outlook.cn' },
};
