import { createHttpsTransport, type HttpTransport } from '../../../src/providers/exchange/https-transport.js';
import { startMicrosoftStandIn, type MicrosoftStandIn } from './microsoft-stand-in.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const BATCH = 'batch@contoso.com';
const GRAPH = 'https://graph.microsoft.com/v1.0';

/** A Graph answer body as these tests read it. */
type GraphJson = { error?: { code: string; message: string }; id?: string; uploadUrl?: string; value?: Record<string, unknown>[] } & Record<string, unknown>;

// The stand-in is what the Exchange tests trust to be as strict as Exchange Online: these
// tests hold it to the rules of Microsoft's documentation, request by request.
describe('Microsoft Graph stand-in: as strict as Exchange Online', () => {
  let standIn: MicrosoftStandIn;
  let http: HttpTransport;
  let now = Date.parse('2026-11-24T10:00:00Z');

  beforeEach(async () => {
    standIn = await startMicrosoftStandIn({ tenantId: TENANT, clientId: CLIENT, clientSecret: 's', mailboxes: [BATCH, 'ana@contoso.com', 'support@contoso.com'], now: () => now });
    http = createHttpsTransport({ ca: standIn.certificate, connectTo: standIn.connectTo });
  });
  afterEach(async () => {
    http.close();
    await standIn.close();
  });

  const appToken = async (): Promise<string> => {
    const response = await http.request({
      method: 'POST',
      url: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLIENT, client_secret: 's', grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }).toString(),
    });
    return String((JSON.parse(response.body.toString()) as { access_token: string }).access_token);
  };
  const call = async (token: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await http.request({
      method,
      url: `${GRAPH}${path}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = response.body.toString();
    return { status: response.status, headers: response.headers, json: (text === '' ? {} : JSON.parse(text)) as GraphJson };
  };
  const message = (extra: Record<string, unknown> = {}) => ({
    subject: 's',
    body: { contentType: 'Text', content: 'x' },
    toRecipients: [{ emailAddress: { address: 'c@example.com' } }],
    internetMessageId: '<m1@contoso.com>',
    ...extra,
  });

  it('enforces the roles of an app-only token per endpoint with 403 ErrorAccessDenied', async () => {
    standIn.token.appRoles = ['Mail.Send'];
    const token = await appToken();
    expect((await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message() })).status).toBe(202);
    for (const [method, path, body] of [
      ['POST', `/users/${BATCH}/messages`, message()],
      ['GET', `/users/${BATCH}/messages?$filter=internetMessageId eq 'x'`, undefined],
      ['GET', `/users/${BATCH}/mailFolders/inbox/messageRules`, undefined],
    ] as const) {
      const answer = await call(token, method, path, body);
      expect([path, answer.status, answer.json.error?.code]).toEqual([path, 403, 'ErrorAccessDenied']);
    }
    standIn.token.appRoles = ['Mail.ReadBasic.All'];
    const reader = await appToken();
    expect((await call(reader, 'GET', `/users/${BATCH}/messages`)).status).toBe(200);
    expect((await call(reader, 'POST', `/users/${BATCH}/sendMail`, { message: message() })).json.error?.code).toBe('ErrorAccessDenied');
  });

  it('an application access policy keeps app-only tokens out of the mailboxes it leaves out', async () => {
    standIn.graph.appAccessScope = new Set([BATCH]);
    const token = await appToken();
    expect((await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message() })).status).toBe(202);
    const refused = await call(token, 'POST', '/users/ana@contoso.com/sendMail', { message: message() });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.message).toContain('[RAOP]');
  });

  it('a From other than the mailbox needs Send As or Send on Behalf, else 403 ErrorSendAsDenied', async () => {
    const token = await appToken();
    const fromAna = message({ from: { emailAddress: { address: 'ana@contoso.com' } } });
    expect((await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: fromAna })).json.error?.code).toBe('ErrorSendAsDenied');
    standIn.graph.grantSendOnBehalf(BATCH, 'ana@contoso.com');
    expect((await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: fromAna })).status).toBe(202);
    expect(standIn.graph.sent.map((s) => s.sentAs)).toEqual(['sendOnBehalf']);
  });

  it('at most 5 internetMessageHeaders, each x-…; a request over 4 MB is 413', async () => {
    const token = await appToken();
    const headers = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `X-H${i}`, value: 'v' }));
    expect((await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message({ internetMessageHeaders: headers(5) }) })).status).toBe(202);
    expect((await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message({ internetMessageHeaders: headers(6) }) })).json.error?.code).toBe('InvalidInternetMessageHeaderCollection');
    expect((await call(token, 'POST', `/users/${BATCH}/messages`, message({ internetMessageHeaders: headers(6) }))).status).toBe(400);
    const big = await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message({ body: { contentType: 'Text', content: 'x'.repeat(4 * 1024 * 1024) } }) });
    expect([big.status, big.json.error?.code]).toEqual([413, 'RequestEntityTooLarge']);
  });

  it('an accepted message is in Drafts until transport moves it to Sent Items (or deletes it without saveToSentItems)', async () => {
    const token = await appToken();
    await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message() });
    await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message({ internetMessageId: '<m2@contoso.com>' }), saveToSentItems: false });
    const where = async () => {
      const drafts = (await call(token, 'GET', `/users/${BATCH}/mailFolders/drafts`)).json.id as string;
      const list = (await call(token, 'GET', `/users/${BATCH}/messages?$select=internetMessageId,parentFolderId`)).json.value as { internetMessageId: string; parentFolderId: string }[];
      return list.map((m) => `${m.internetMessageId} ${m.parentFolderId === drafts ? 'Drafts' : 'Sent Items'}`).sort();
    };
    expect(await where()).toEqual(['<m1@contoso.com> Drafts', '<m2@contoso.com> Drafts']);
    now += 5000;
    expect(await where()).toEqual(['<m1@contoso.com> Sent Items']);
  });

  it('$filter is parsed as OData: a quote ends the literal, doubled quotes stay in it, anything else is 400', async () => {
    const token = await appToken();
    await call(token, 'POST', `/users/${BATCH}/sendMail`, { message: message({ internetMessageId: "<o'brien@contoso.com>" }) });
    const search = (filter: string) => call(token, 'GET', `/users/${BATCH}/messages?$filter=${encodeURIComponent(filter)}`);
    expect((await search("internetMessageId eq '<o''brien@contoso.com>'")).json.value).toHaveLength(1);
    expect((await search("internetMessageId eq '<o'brien@contoso.com>'")).status).toBe(400);
    // What an unencoded value can turn into: another clause, evaluated as Graph would.
    expect((await search("internetMessageId eq '<a' or internetMessageId ne 'b'")).json.value).toHaveLength(1);
  });

  it('upload sessions: at least 3 MB, then ranges in order, each at most 4 MB, octet-stream, no Authorization', async () => {
    const token = await appToken();
    const draft = (await call(token, 'POST', `/users/${BATCH}/messages`, message())).json.id as string;
    const session = (size: number) => call(token, 'POST', `/users/${BATCH}/messages/${draft}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'f.bin', size } });
    expect((await session(2_999_999)).json.error?.code).toBe('ErrorAttachmentSizeShouldNotBeLessThanMinimumSize');
    const size = 5_000_000;
    const url = (await session(size)).json.uploadUrl as string;
    const put = (start: number, end: number, headers: Record<string, string> = {}) =>
      http.request({ method: 'PUT', url, headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/${size}`, ...headers }, body: Buffer.alloc(end - start + 1) });
    expect((await put(0, 999_999, { authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await put(0, 999_999, { 'content-type': 'application/json' })).status).toBe(400);
    expect((await put(1000, 1999)).status).toBe(400); // out of order
    expect((await put(0, 4 * 1024 * 1024)).status).toBe(400); // one byte over 4 MB
    expect((await put(0, 2_097_151)).status).toBe(200); // 2 MiB: not a multiple of 320 KiB, and Outlook takes it
    expect((await put(2_097_152, size - 1)).status).toBe(201);
    expect(standIn.graph.drafts.get(draft)?.attachments[0]?.bytes.length).toBe(size);
  });

  it('4 concurrent requests per mailbox, and 10,000 per 10 minutes: then 429 with Retry-After', async () => {
    const token = await appToken();
    standIn.graph.requestLimit = 3;
    for (let i = 0; i < 3; i++) expect((await call(token, 'GET', `/users/${BATCH}/mailFolders/drafts`)).status).toBe(200);
    now += 60_000;
    const throttled = await call(token, 'GET', `/users/${BATCH}/mailFolders/drafts`);
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '540']);
    expect((await call(token, 'GET', '/users/ana@contoso.com/mailFolders/drafts')).status).toBe(200); // another mailbox
    now += 540_000;
    expect((await call(token, 'GET', `/users/${BATCH}/mailFolders/drafts`)).status).toBe(200);
  });
});
