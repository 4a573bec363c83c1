import type { Client } from '@microsoft/microsoft-graph-client';
import { ManualClock } from '../../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { isMailwrightError, type MailwrightError } from '../../../src/errors/mailwright-error.js';
import { inboxRuleSchema } from '../../../src/forwarding/policy/inbox-rule.js';
import type { ReadInboxRule } from '../../../src/forwarding/policy/mailbox-inbox-rules.js';
import { silentLogger } from '../../../src/logger.js';
import { exchangeProvider } from '../../../src/providers/exchange/exchange-provider.js';
import { readInboxRule, type GraphMessageRule } from '../../../src/providers/exchange/graph-inbox-rules.js';
import { fetchGraphInboxRules } from '../../../src/providers/exchange/graph-inbox-rules-reader.js';
import type { Provider } from '../../../src/providers/provider.js';
import { createSecretBox } from '../../../src/secrets/aes-gcm-secret-box.js';
import { startMicrosoftStandIn, type MicrosoftStandIn } from '../../support/microsoft-stand-in/microsoft-stand-in.js';
import { jwtClaims } from '../../support/microsoft-stand-in/wire.js';
import { BATCH, CLIENT, SECRET, T0, TENANT } from './exchange-fixture.js';

const AUDITED = 'Ana.Nunez@Contoso.com';
const RULES_PATH = `/v1.0/users/${AUDITED}/mailFolders/inbox/messageRules`;

/** Graph messageRule JSON as Exchange Online returns it. */
const invoicesRule = {
  id: 'AQAAAJ5dZqA=',
  displayName: 'Invoices to accounting',
  sequence: 1,
  isEnabled: true,
  hasError: false,
  isReadOnly: false,
  conditions: {
    subjectContains: ['invoice', 'facture'],
    fromAddresses: [{ emailAddress: { name: 'Supplier Billing', address: 'billing@supplier.example' } }],
    hasAttachments: true,
  },
  exceptions: { bodyContains: ['do not forward'], headerContains: ['X-Internal: yes'] },
  actions: {
    forwardTo: [{ emailAddress: { name: 'Accounting, Team', address: 'accounting@contoso.com' } }],
    stopProcessingRules: true,
    markAsRead: false,
  },
};

const copyOutRule = {
  id: 'AQAAAJ5dZqB=',
  displayName: 'Copy everything out',
  sequence: 2,
  isEnabled: false,
  hasError: false,
  isReadOnly: false,
  conditions: {
    importance: 'high',
    sentToMe: true,
    isAutomaticForward: false,
    sentToAddresses: [{ emailAddress: { name: 'sales@contoso.com', address: 'sales@contoso.com' } }],
    withinSizeRange: { minimumSize: 10, maximumSize: 1000 },
  },
  exceptions: { senderContains: [], subjectContains: null },
  actions: {
    redirectTo: [{ emailAddress: { address: 'me@mail.example' } }],
    forwardAsAttachmentTo: [{ emailAddress: { name: 'Archive', address: 'archive@partner.example' } }],
    moveToFolder: 'AAMkAGI2TG93AAA=',
    assignCategories: ['Red category'],
    delete: false,
    permanentDelete: false,
  },
};

const legacyRule = {
  id: 'AQAAAJ5dZqC=',
  displayName: '',
  sequence: null,
  isEnabled: true,
  hasError: false,
  isReadOnly: true,
  conditions: {},
  exceptions: { headerContains: ['X-Spam-Flag: YES'] },
  actions: {
    forwardTo: [
      { emailAddress: { name: 'Legacy', address: '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc' } },
      { emailAddress: { name: '', address: 'ok@contoso.com' } },
    ],
  },
};

const expectedInvoices: ReadInboxRule = {
  id: 'AQAAAJ5dZqA=',
  name: 'Invoices to accounting',
  enabled: true,
  sequence: 1,
  conditions: { subjectContains: ['invoice', 'facture'], fromAddresses: ['Supplier Billing <billing@supplier.example>'], hasAttachments: true },
  exceptions: { bodyContains: ['do not forward'] },
  actions: { forwardTo: ['"Accounting, Team" <accounting@contoso.com>'], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: true },
  unsupported: ['exceptions.headerContains'],
};

const expectedCopyOut: ReadInboxRule = {
  id: 'AQAAAJ5dZqB=',
  name: 'Copy everything out',
  enabled: false,
  sequence: 2,
  conditions: { sentToAddresses: ['sales@contoso.com'] },
  actions: { forwardTo: [], forwardAsAttachmentTo: ['Archive <archive@partner.example>'], redirectTo: ['me@mail.example'], stopProcessingRules: false },
  unsupported: ['importance', 'sentToMe', 'withinSizeRange', 'moveToFolder', 'assignCategories'],
};

const expectedLegacy: ReadInboxRule = {
  id: 'AQAAAJ5dZqC=',
  name: 'AQAAAJ5dZqC=',
  enabled: true,
  sequence: 0,
  conditions: {},
  actions: { forwardTo: ['ok@contoso.com'], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: false },
  unsupported: ['exceptions.headerContains', 'forwardTo'],
};

describe('Exchange provider: reading a mailbox\'s inbox rules (Graph messageRules, app-only token)', () => {
  let standIn: MicrosoftStandIn | undefined;
  let provider: Provider | undefined;
  afterEach(async () => {
    await provider?.close?.();
    await standIn?.close();
    standIn = undefined;
    provider = undefined;
  });

  async function start(): Promise<{ standIn: MicrosoftStandIn; readInboxRules: (mailbox: string) => ReturnType<NonNullable<Provider['readInboxRules']>> }> {
    standIn = await startMicrosoftStandIn({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, mailboxes: [BATCH, AUDITED] });
    provider = exchangeProvider({
      network: { ca: standIn.certificate, connectTo: standIn.connectTo },
      settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, batchMailbox: BATCH },
    });
    provider.init?.({ clock: new ManualClock(T0), logger: silentLogger, secrets: createSecretBox({ key: Buffer.alloc(32, 7) }), settings: { get: async () => undefined } });
    const read = provider.readInboxRules;
    if (read === undefined) throw new Error('the Exchange provider should read inbox rules');
    return { standIn, readInboxRules: (mailbox) => read.call(provider, mailbox) };
  }

  async function failure(promise: Promise<unknown>): Promise<MailwrightError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isMailwrightError(error)) throw new Error(`expected a MailwrightError, got ${String(error)}`);
    return error;
  }

  it('reads the rules with an app-only token and maps forwardTo, redirectTo, forwardAsAttachmentTo, conditions and exceptions', async () => {
    const { standIn, readInboxRules } = await start();
    standIn.graph.seedInboxRules(AUDITED, [invoicesRule, copyOutRule]);

    const result = await readInboxRules(AUDITED);

    expect(result).toEqual({ mailbox: AUDITED, rules: [expectedInvoices, expectedCopyOut] });
    const graphCalls = standIn.requests.filter((r) => r.host === 'graph.microsoft.com');
    expect(graphCalls.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${RULES_PATH}`]);
    // App-only: a client-credentials token, with application roles and no user.
    expect(standIn.token.requests.map((f) => f.get('grant_type'))).toEqual(['client_credentials']);
    expect(standIn.graph.inboxRulesReads.map((r) => r.token.kind)).toEqual(['app']);
    const claims = jwtClaims(String(graphCalls[0]?.headers.authorization).slice('Bearer '.length));
    expect(claims.roles).toBeDefined();
    expect(claims.upn).toBeUndefined();
  });

  it('names every unmapped condition, exception and action in unsupported; an address without an SMTP form is left out and named', async () => {
    const { standIn, readInboxRules } = await start();
    standIn.graph.seedInboxRules(AUDITED, [legacyRule]);
    const { rules } = await readInboxRules(AUDITED);
    expect(rules).toEqual([expectedLegacy]);
    expect(rules[0]).not.toHaveProperty('exceptions');
  });

  it('every mapped rule passes inboxRuleSchema unchanged', async () => {
    const { standIn, readInboxRules } = await start();
    standIn.graph.seedInboxRules(AUDITED, [invoicesRule, copyOutRule, legacyRule]);
    const { rules } = await readInboxRules(AUDITED);
    expect(rules).toHaveLength(3);
    for (const { id: _id, unsupported: _unsupported, ...rule } of rules) {
      expect(inboxRuleSchema.parse(rule)).toEqual(rule);
    }
  });

  it('follows @odata.nextLink ($skiptoken) over 2 pages, in order', async () => {
    const { standIn, readInboxRules } = await start();
    standIn.graph.inboxRulesPageSize = 2;
    standIn.graph.seedInboxRules(AUDITED, [invoicesRule, copyOutRule, legacyRule]);

    const { rules } = await readInboxRules(AUDITED);

    expect(rules.map((r) => r.id)).toEqual([invoicesRule.id, copyOutRule.id, legacyRule.id]);
    const reads = standIn.graph.inboxRulesReads;
    expect(reads).toHaveLength(2);
    expect(reads[0]?.skipToken).toBeUndefined();
    expect(reads[1]?.skipToken).toBeTruthy();
    expect(reads.every((r) => r.token.kind === 'app')).toBe(true);
    const graphCalls = standIn.requests.filter((r) => r.host === 'graph.microsoft.com');
    expect(graphCalls.map((r) => r.path)).toEqual([RULES_PATH, RULES_PATH]);
    expect(graphCalls[1]?.query.get('$skiptoken')).toBe(reads[1]?.skipToken);
  });

  it('a mailbox without rules reads as an empty list', async () => {
    const { readInboxRules } = await start();
    expect(await readInboxRules(AUDITED)).toEqual({ mailbox: AUDITED, rules: [] });
  });

  it.each([
    ['MailboxSettings.Read not granted', (s: MicrosoftStandIn) => (s.token.appRoles = ['Mail.Send'])],
    [
      'scripted 403 ErrorAccessDenied',
      (s: MicrosoftStandIn) => s.failures.push({ method: 'GET', pathEndsWith: '/mailFolders/inbox/messageRules', status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' }),
    ],
  ])('403 ErrorAccessDenied (%s): MW_GRAPH_ACCESS_DENIED with a fix naming MailboxSettings.Read', async (_name, script) => {
    const { standIn, readInboxRules } = await start();
    script(standIn);
    const error = await failure(readInboxRules(AUDITED));
    expect(error.code).toBe(ErrorCodes.GRAPH_ACCESS_DENIED);
    expect(error.permanent).toBe(true);
    expect(error.fix).toMatch(/MailboxSettings\.Read/);
    expect(error.fix).toMatch(/admin consent/);
    expect(error.fix).not.toMatch(/Mail\.Send/);
    expect(error.message).toContain(AUDITED);
    expect(error.details).toMatchObject({ httpStatus: 403, mailbox: AUDITED, permission: 'MailboxSettings.Read' });
    expect(error.failure?.code).toBe(ErrorCodes.GRAPH_ACCESS_DENIED);
    expect(error.failure?.fix).toBe(error.fix);
    expect(error.failure?.httpStatus).toBe(403);
    expect(error.failure?.serverResponse).toContain('ErrorAccessDenied');
    expect(error.failure?.transcript).toContain(`> GET https://graph.microsoft.com${RULES_PATH}`);
    expect(error.failure?.transcript).toContain('< 403');
    expect(error.failure?.transcript).not.toMatch(/Bearer|eyJ/);
  });

  it.each([
    ['the mailbox does not exist in the tenant', 'nobody@contoso.com', undefined],
    ['scripted 404', AUDITED, { method: 'GET', pathEndsWith: '/mailFolders/inbox/messageRules', status: 404, code: 'ErrorInvalidUser', message: `The requested user '${AUDITED}' is invalid.` }],
  ])('404 ErrorInvalidUser (%s): MW_MAILBOX_NOT_FOUND', async (_name, mailbox, scripted) => {
    const { standIn, readInboxRules } = await start();
    if (scripted !== undefined) standIn.failures.push(scripted);
    const error = await failure(readInboxRules(mailbox));
    expect(error.code).toBe(ErrorCodes.MAILBOX_NOT_FOUND);
    expect(error.permanent).toBe(true);
    expect(error.fix).toMatch(/exists in this tenant/);
    expect(error.failure?.httpStatus).toBe(404);
    expect(error.failure?.serverResponse).toContain('ErrorInvalidUser');
    expect(error.failure?.transcript).toContain('< 404');
  });

  it('an invalid mailbox address is refused before any request', async () => {
    const { standIn, readInboxRules } = await start();
    const error = await failure(readInboxRules('../../me'));
    expect(error.code).toBe(ErrorCodes.INVALID_ADDRESS);
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('Graph messageRule mapping and paging (no server)', () => {
  it('false, null and empty predicates are not conditions; hasAttachments: false is not "has no attachments"', () => {
    const rule = readInboxRule({
      id: 'r1',
      displayName: '  Quiet  ',
      sequence: 3,
      isEnabled: true,
      conditions: { hasAttachments: false, sentOnlyToMe: false, categories: [], headerContains: null, subjectContains: ['', 'report'] },
      exceptions: {},
      actions: { stopProcessingRules: false, markImportance: 'high' },
    } as GraphMessageRule);
    expect(rule).toEqual({
      id: 'r1',
      name: 'Quiet',
      enabled: true,
      sequence: 3,
      conditions: { subjectContains: ['report'] },
      actions: { forwardTo: [], forwardAsAttachmentTo: [], redirectTo: [], stopProcessingRules: false },
      unsupported: ['markImportance'],
    });
  });

  it('a next link outside https://graph.microsoft.com/v1.0/ is not followed (it would get the token)', async () => {
    const asked: string[] = [];
    const client = {
      api: (path: string) => ({
        get: async () => {
          asked.push(path);
          return { value: [{ id: 'r1' }], '@odata.nextLink': 'https://graph.evil.example/v1.0/users/x/mailFolders/inbox/messageRules?$skiptoken=1' };
        },
      }),
    } as unknown as Client;
    await expect(fetchGraphInboxRules(client, AUDITED, 'https://graph.microsoft.com/v1.0')).rejects.toMatchObject({ code: ErrorCodes.DELIVERY_FAILED });
    expect(asked).toEqual([`/users/${encodeURIComponent(AUDITED)}/mailFolders/inbox/messageRules`]);
  });
});
