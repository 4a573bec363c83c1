import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { BATCH, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

describe('Exchange verifyConnection: token, permissions per feature, batch mailbox; no email sent', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const statuses = (result: { checks: { name: string; status: string }[] }) => Object.fromEntries(result.checks.map((c) => [c.name, c.status]));

  it('all permissions granted: every step ok, nothing sent, no draft made', async () => {
    fixture = await exchangeFixture({ standIn: { appRoles: ['Mail.Send', 'Mail.ReadWrite', 'MailboxSettings.Read'] }, provider: { interactive: false } });
    const result = await fixture.mailwright.verifyConnection('exchange');
    expect(result.ok).toBe(true);
    expect(statuses(result)).toEqual({
      settings: 'ok',
      token: 'ok',
      'permission.send': 'ok',
      'permission.largeAttachments': 'ok',
      'permission.duplicateCheck': 'ok',
      'permission.inboxRules': 'ok',
      mailbox: 'ok',
    });
    expect(fixture.standIn.graph.sent).toHaveLength(0);
    expect(fixture.standIn.requests.filter((r) => r.method !== 'GET' && r.host !== 'login.microsoftonline.com')).toHaveLength(0);
  });

  it('Mail.Send alone: sending ok, large attachments and duplicate checks are warnings naming what to grant', async () => {
    fixture = await exchangeFixture({ standIn: { appRoles: ['Mail.Send'] } });
    const result = await fixture.mailwright.verifyConnection('exchange', { from: 'Ana.Nunez@Contoso.com' });
    expect(result.ok).toBe(true);
    const byName = Object.fromEntries(result.checks.map((c) => [c.name, c]));
    expect(byName['permission.largeAttachments']).toMatchObject({ status: 'warning', code: ErrorCodes.GRAPH_ACCESS_DENIED });
    expect(byName['permission.largeAttachments']?.fix).toMatch(/Mail\.ReadWrite/);
    expect(byName['permission.duplicateCheck']?.message).toMatch(/Mail\.ReadBasic\.All/);
    expect(byName.mailbox).toMatchObject({ status: 'warning' }); // cannot be probed without a read permission
    expect(byName.sendAs).toMatchObject({ status: 'warning', code: ErrorCodes.SEND_AS_DENIED });
    expect(byName.sendAs?.fix).toMatch(/Get-RecipientPermission -Identity Ana\.Nunez@Contoso\.com -Trustee batch@contoso\.com/);
    expect(byName.interactive).toMatchObject({ status: 'warning', code: ErrorCodes.PROVIDER_NOT_CONFIGURED });
  });

  it('no Mail.Send: a problem; a batch mailbox outside the access policy: a problem naming Test-ServicePrincipalAuthorization', async () => {
    fixture = await exchangeFixture({ standIn: { appRoles: ['Mail.ReadWrite'] } });
    fixture.standIn.graph.appAccessScope = new Set(['someone.else@contoso.com']);
    const result = await fixture.mailwright.verifyConnection('exchange');
    expect(result.ok).toBe(false);
    const byName = Object.fromEntries(result.checks.map((c) => [c.name, c]));
    expect(byName['permission.send']).toMatchObject({ status: 'problem', code: ErrorCodes.GRAPH_ACCESS_DENIED });
    expect(byName.mailbox).toMatchObject({ status: 'problem', code: ErrorCodes.GRAPH_ACCESS_POLICY_DENIED });
    expect(byName.mailbox?.fix).toMatch(/Test-ServicePrincipalAuthorization/);
  });

  it('a wrong client secret: a problem at token with the catalogue fix, nothing after it', async () => {
    fixture = await exchangeFixture({ settings: { clientSecret: 'the-secret-id' } });
    const result = await fixture.mailwright.verifyConnection('exchange');
    expect(result.checks.map((c) => c.name)).toEqual(['settings', 'interactive', 'token']);
    expect(result.checks.at(-1)).toMatchObject({ status: 'problem', code: ErrorCodes.MSAL_INVALID_CLIENT_SECRET });
  });

  it('a batch mailbox that does not exist: a problem with MW_MAILBOX_NOT_FOUND', async () => {
    fixture = await exchangeFixture({ settings: { batchMailbox: 'nobody@contoso.com' } });
    const result = await fixture.mailwright.verifyConnection('exchange');
    expect(result.checks.find((c) => c.name === 'mailbox')).toMatchObject({ status: 'problem', code: ErrorCodes.MAILBOX_NOT_FOUND });
    expect(BATCH).not.toBe('nobody@contoso.com');
  });

  it('the China cloud says up front that it has no upload sessions', async () => {
    fixture = await exchangeFixture({ standIn: { cloud: 'china' }, settings: { cloud: 'china' } });
    const result = await fixture.mailwright.verifyConnection('exchange');
    expect(result.checks.find((c) => c.name === 'cloud')).toMatchObject({ status: 'warning', code: ErrorCodes.ATTACHMENT_TOO_LARGE });
    expect(result.checks.find((c) => c.name === 'token')?.message).toContain('microsoftgraph.chinacloudapi.cn');
    expect(fixture.standIn.requests.map((r) => r.host)).toEqual(expect.arrayContaining(['login.chinacloudapi.cn', 'microsoftgraph.chinacloudapi.cn']));
    expect(fixture.standIn.requests.some((r) => r.host.endsWith('microsoft.com') || r.host.endsWith('microsoftonline.com'))).toBe(false);
  });
});
