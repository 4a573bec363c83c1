import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from '../../src/admin/index.js';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { startAdminFixture, SESSION, SMTP_PASSWORD, type AdminFixture } from './admin-fixture.js';

const AUTHORIZED = { cookie: `${SESSION.name}=${SESSION.value}` };

/** A browser-like session: the session cookie, the console's CSRF cookie once given, and the token of the last page read. */
function session(fixture: AdminFixture) {
  let cookies = AUTHORIZED.cookie;
  let token = '';
  const remember = (response: Response): void => {
    const set = response.headers.get('set-cookie');
    if (set) cookies = `${cookies}; ${set.split(';')[0]}`;
  };
  return {
    get token() {
      return token;
    },
    async get(path: string): Promise<{ status: number; text: string; headers: Headers }> {
      const response = await fetch(fixture.url + path, { headers: { cookie: cookies }, redirect: 'manual' });
      remember(response);
      const text = await response.text();
      token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? token;
      return { status: response.status, text, headers: response.headers };
    },
    async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
      const response = await fetch(fixture.url + path, {
        method: 'POST',
        headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded', origin: fixture.origin, ...headers },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      return { status: response.status, text: await response.text(), headers: response.headers };
    },
  };
}

describe('the admin console over HTTP (node:http, real SQLite file and SMTP server)', () => {
  let fixture: AdminFixture;
  const clock = new ManualClock('2026-11-24T10:00:00.000Z');

  beforeAll(async () => {
    fixture = await startAdminFixture({ clock, testEmailsPerMinute: 2 });
  });
  afterAll(() => fixture.close());

  it('refuses a request the host does not authorize, on every page and action, with nothing but 403', async () => {
    for (const path of ['', 'history', 'parameters', 'providers/smtp', 'assets/admin.css']) {
      const response = await fetch(fixture.url + path, { redirect: 'manual' });
      expect([path, response.status]).toEqual([path, 403]);
      expect(await response.text()).toBe('You may not use this console.');
    }
    const post = await fetch(`${fixture.url}parameters`, { method: 'POST', body: 'historyRetentionDays=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.status).toBe(403);
    expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(30);
  });

  it('has no default that lets anyone in: authorize is required', () => {
    expect(() => createAdminHandler({ mailwright: fixture.mailwright } as never)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_SETTINGS, message: expect.stringContaining('authorize: must be a function') }));
    expect(() => createAdminHandler({ mailwright: fixture.mailwright, authorize: () => true, basePath: 'admin' })).toThrow(MailwrightError);
  });

  it('refuses a change without the CSRF token, with a wrong one, or from another origin; the same change with the token works', async () => {
    const browser = session(fixture);
    await browser.get('parameters');
    const change = { historyRetentionDays: '45', batchProviderId: 'smtp' };
    expect((await browser.post('parameters', change)).status).toBe(403);
    expect((await browser.post('parameters', { ...change, _csrf: 'forged' })).status).toBe(403);
    expect((await browser.post('parameters', { ...change, _csrf: browser.token }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await browser.post('parameters', { ...change, _csrf: browser.token }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await browser.post('parameters', { ...change, _csrf: browser.token }, { origin: 'null' })).status).toBe(403);
    // Another browser's token does not fit this browser's cookie.
    const other = session(fixture);
    await other.get('parameters');
    expect((await browser.post('parameters', { ...change, _csrf: other.token })).status).toBe(403);
    expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(30);
    const saved = await browser.post('parameters', { ...change, _csrf: browser.token });
    expect(saved.status).toBe(303);
    expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(45);
  });

  it('sends the security headers with every page: a CSP without script, no framing, no caching; the CSRF cookie is HttpOnly and SameSite=Strict', async () => {
    const page = await fetch(`${fixture.url}history`, { headers: AUTHORIZED });
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('set-cookie')).toMatch(/^mw_admin_csrf=[\w-]+; Path=\/admin\/email\/; HttpOnly; SameSite=Strict$/);
    expect(await page.text()).not.toMatch(/<script|\son\w+=/i);
    const preview = await fetch(`${fixture.url}templates/approval/preview?language=en`, { headers: AUTHORIZED });
    expect(preview.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'; style-src 'unsafe-inline'/);
    expect(await preview.text()).toContain('Hello Ana, please approve <b>Purchase order 4711</b>.');
  });

  it('Exchange settings: saved from the form, saved again with the client secret left empty it is kept', async () => {
    const browser = session(fixture);
    const page = await browser.get('providers/exchange');
    expect(page.text).toContain('<label for="f-tenantId">Directory (tenant) ID</label>');
    expect(page.text).toContain('<legend>Certificate</legend>');
    const form = { _csrf: browser.token, tenantId: 'contoso.onmicrosoft.com', clientId: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE', batchMailbox: 'batch@contoso.com', saveToSentItems: 'true', 'certificate.thumbprintSha256': '', 'certificate.privateKey': '' };
    const missing = await browser.post('providers/exchange/settings', { ...form, clientSecret: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Give exactly one credential');
    expect((await browser.post('providers/exchange/settings', { ...form, clientSecret: 'exchange~client~secret' })).status).toBe(303);
    expect((await browser.post('providers/exchange/settings', { ...form, batchMailbox: 'queue@contoso.com', clientSecret: '' })).status).toBe(303);
    expect(await fixture.mailwright.exchangeSettings.get('exchange')).toMatchObject({ batchMailbox: 'queue@contoso.com', credential: 'clientSecret' });
    const again = await browser.get('providers/exchange');
    expect(again.text).toMatch(/<input type="password" id="f-clientSecret"[^>]*>/);
    expect(again.text).toContain('A value is stored.');
  });

  it('the parameters page shows each provider\'s limit in force: Microsoft 365 gets 30 unless set', async () => {
    const { text } = await session(fixture).get('parameters');
    expect(text).toContain('<tr><td>Use Exchange <span class="muted">(exchange)</span></td><td class="num">30</td><td>Automatic: Microsoft 365 (Exchange Online allows 30 a minute)</td></tr>');
    expect(text).toContain('In force: 30 a minute (automatic: the Microsoft 365 limit). Empty: the automatic limit.');
  });

  it('never sends a secret to the browser: no page holds the SMTP password or its encrypted form', async () => {
    const browser = session(fixture);
    for (const path of ['history', 'distributor', 'parameters', 'providers', 'providers/smtp', 'providers/exchange', 'providers/eml', 'providers/relay', 'users', 'users/ana', 'templates', 'templates/approval', 'forwarding', 'history/export?format=json']) {
      const { status, text } = await browser.get(path);
      expect([path, status]).toEqual([path, 200]);
      expect(text).not.toContain(SMTP_PASSWORD);
      expect(text).not.toMatch(/passwordSecret|ciphertext|exchange~client~secret/);
    }
    const smtp = await browser.get('providers/smtp');
    expect(smtp.text).toMatch(/<input type="password" id="f-password" name="password" autocomplete="new-password"[^>]*>/);
    expect(smtp.text).not.toMatch(/name="password"[^>]*value=/);
    expect(smtp.text).toContain('A value is stored.');
  });

  it('answers a form that is not valid with 400 and each field\'s message; a bad history filter with its fix', async () => {
    const browser = session(fixture);
    await browser.get('parameters');
    const bad = await browser.post('parameters', { _csrf: browser.token, historyRetentionDays: 'sixty', maxAttempts: '0' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<p class="error" id="f-historyRetentionDays-error">Enter a whole number of days from 0 to 36500 (0 means the default, 30).</p>');
    expect(bad.text).toMatch(/id="f-maxAttempts"[^>]*aria-describedby="f-maxAttempts-hint f-maxAttempts-error" aria-invalid="true"/);
    const filter = await browser.get('history?since=yesterday');
    expect(filter.status).toBe(400);
    expect(filter.text).toContain('is not a valid ISO 8601 date/time');
  });

  it('limits test emails and connection checks per minute (429 with Retry-After), by the injected clock', async () => {
    const browser = session(fixture);
    await browser.get('providers/smtp');
    const first = await browser.post('providers/smtp/test-email', { _csrf: browser.token, to: 'admin@example.com' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toMatch(/^\/admin\/email\/history\/[\w-]+\?done=test-email$/);
    // The SMTP provider checks its connection itself (connect, TLS, AUTH, MAIL FROM probe): no email, but it counts.
    const checked = await browser.post('providers/smtp/check', { _csrf: browser.token, to: 'admin@example.com' });
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('The connection works.');
    const limited = await browser.post('providers/smtp/test-email', { _csrf: browser.token, to: 'admin@example.com' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.text).toContain('At most 2 test emails and connection checks a minute');
    clock.advance({ seconds: 61 });
    expect((await browser.post('providers/smtp/test-email', { _csrf: browser.token, to: 'admin@example.com' })).status).toBe(303);
  });

  it('a connection check uses the provider\'s own verifyConnection() when it has one, each line escaped', async () => {
    clock.advance({ minutes: 2 });
    const browser = session(fixture);
    const page = await browser.get('providers/relay');
    expect(page.text).toContain('Connects and signs in without sending anything.');
    const checked = await browser.post('providers/relay/check', { _csrf: browser.token });
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('The connection check failed.');
    expect(checked.text).toContain('<strong>Passed:</strong> dns — relay.contoso.com resolves.');
    expect(checked.text).toContain('<code>MW_AUTH_FAILED</code> — 535 5.7.3 Authentication unsuccessful &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(checked.text).toContain('<strong>Fix:</strong> Re-enter the user name and password.');
  });

  it('cancels a waiting email from its page, with a reason; a reason on two lines is refused with its fix', async () => {
    const id = await fixture.mailwright.enqueue({ from: 'billing@contoso.com', to: 'c@example.com', subject: 'Run twice', text: 'x' }, { sendAfter: '2099-01-01T00:00:00Z' });
    const browser = session(fixture);
    const page = await browser.get(`history/${id}`);
    expect(page.text).toContain('Cancel this email');
    const bad = await browser.post(`history/${id}/cancel`, { _csrf: browser.token, reason: 'two\nlines' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The reason for cancelling must be one line of text.');
    const cancelled = await browser.post(`history/${id}/cancel`, { _csrf: browser.token, reason: 'Statement run made twice' });
    expect([cancelled.status, cancelled.headers.get('location')]).toEqual([303, `/admin/email/history/${id}?done=cancelled`]);
    expect(await fixture.mailwright.history.get(id)).toMatchObject({ status: 'failed', failure: { code: 'MW_CANCELLED', message: 'Statement run made twice' } });
    const again = await browser.post(`history/${id}/cancel`, { _csrf: browser.token });
    expect(again.headers.get('location')).toBe(`/admin/email/history/${id}?skipped=finished`);
    expect((await browser.get(`history/${id}?skipped=finished`)).text).toContain('Nothing was done: it is already finished.');
  });

  it('exports the filtered history as a CSV file', async () => {
    const response = await fetch(`${fixture.url}history/export?format=csv&status=sent`, { headers: AUTHORIZED });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="mailwright-history-\d{8}T\d{6}\.csv"$/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,createdAt,status,/);
    expect(lines.slice(1).every((line) => line.split(',')[2] === 'sent')).toBe(true);
  });

  it('mounted under a base path: a request outside it goes to next() (Express), else 404; the base without its slash redirects', async () => {
    const handler = createAdminHandler({ mailwright: fixture.mailwright, basePath: '/ops/mail', authorize: () => true });
    const passed: string[] = [];
    const server = createServer((req, res) =>
      void handler(req, res, () => {
        passed.push(req.url ?? '');
        res.end('host page');
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${origin}/shop`)).text()).toBe('host page');
      expect(passed).toEqual(['/shop']);
      expect((await fetch(`${origin}/ops/mailbox`)).status).toBe(200); // not the console: the host's
      const bare = await fetch(`${origin}/ops/mail`, { redirect: 'manual' });
      expect([bare.status, bare.headers.get('location')]).toEqual([308, '/ops/mail/']);
      expect((await fetch(`${origin}/ops/mail/nowhere`)).status).toBe(404);
      expect((await fetch(`${origin}/ops/mail/history/%E0%A4%A`)).status).toBe(400);
      expect((await fetch(`${origin}/ops/mail/history/no-such-id`)).status).toBe(404);
      expect((await fetch(`${origin}/ops/mail/history`, { method: 'DELETE' })).status).toBe(405);
      const big = await fetch(`${origin}/ops/mail/parameters`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${'x'.repeat(300 * 1024)}` });
      expect(big.status).toBe(413);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
