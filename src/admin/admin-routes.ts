import type { AdminPage } from './admin-request.js';
import { distributorPage } from './pages/distributor-page.js';
import { cancelEmail, emailPage, retryEmail } from './pages/email-page.js';
import { forwardingPage } from './pages/forwarding-page.js';
import { historyExport, historyPage } from './pages/history-page.js';
import { parametersPage, saveParameters } from './pages/parameters-page.js';
import { checkConnection, providerPage, providersPage, saveProviderSettings, sendTestEmailAction } from './pages/providers-page.js';
import { templatePage, templatePreview, templatesPage } from './pages/templates-page.js';
import { saveUser, userPage, usersPage } from './pages/users-page.js';

/** One route: a method, a path pattern relative to the base (captures are the page's params), a page. */
export type AdminRoute = readonly [method: 'GET' | 'POST', pattern: RegExp, page: AdminPage];

const ID = '([^/]+)';

/** Every page of the console. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ['GET', /^history$/, historyPage],
  ['GET', /^history\/export$/, historyExport],
  ['GET', new RegExp(`^history/${ID}$`), emailPage],
  ['POST', new RegExp(`^history/${ID}/retry$`), retryEmail],
  ['POST', new RegExp(`^history/${ID}/cancel$`), cancelEmail],
  ['GET', /^distributor$/, distributorPage],
  ['GET', /^parameters$/, parametersPage],
  ['POST', /^parameters$/, saveParameters],
  ['GET', /^providers$/, providersPage],
  ['GET', new RegExp(`^providers/${ID}$`), providerPage],
  ['POST', new RegExp(`^providers/${ID}/settings$`), saveProviderSettings],
  ['POST', new RegExp(`^providers/${ID}/check$`), checkConnection],
  ['POST', new RegExp(`^providers/${ID}/test-email$`), sendTestEmailAction],
  ['GET', /^users$/, usersPage],
  ['GET', new RegExp(`^users/${ID}$`), userPage],
  ['POST', new RegExp(`^users/${ID}$`), saveUser],
  ['GET', /^templates$/, templatesPage],
  ['GET', new RegExp(`^templates/${ID}$`), templatePage],
  ['GET', new RegExp(`^templates/${ID}/preview$`), templatePreview],
  ['GET', /^forwarding$/, forwardingPage],
];
