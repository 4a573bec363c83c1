import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { openSmtpSettings } from '../../src/providers/smtp/smtp-settings-store.js';
import type { StoredSmtpSettings } from '../../src/parameters/smtp-settings.js';
import { describeBrowser, launchBrowser } from '../support/browser.js';
import { startAdminFixture, SESSION, SMTP_PASSWORD, type AdminFixture } from './admin-fixture.js';

/** A subject that would run a script if the console wrote it as markup. */
const XSS_SUBJECT = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> Invoice';

describeBrowser('the admin console in headless Chromium', () => {
  let fixture: AdminFixture;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    fixture = await startAdminFixture();
    browser = await launchBrowser();
    await browser.context.addCookies([{ name: SESSION.name, value: SESSION.value, url: fixture.origin }]);
    page = await browser.context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  const open = async (path: string) => {
    const response = await page.goto(fixture.url + path);
    return response?.status();
  };
  const field = (label: string) => page.getByLabel(label, { exact: true });

  it('invalid values show each field\'s message next to it, in a summary that takes the focus', async () => {
    await open('parameters');
    await field('History retention (days)').fill('-1');
    await field('Maximum attempts').fill('1.5');
    await page.getByRole('button', { name: 'Save the email parameters' }).click();
    await page.waitForLoadState();
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('2 fields need correcting');
    expect(await page.evaluate('document.activeElement?.getAttribute("role")')).toBe('alert');
    const retention = field('History retention (days)');
    expect(await retention.getAttribute('aria-invalid')).toBe('true');
    const described = (await retention.getAttribute('aria-describedby'))!.split(' ');
    const messages = await Promise.all(described.map((id) => page.locator(`#${id}`).textContent()));
    expect(messages).toContain('Enter a whole number of days from 0 to 36500 (0 means the default, 30).');
    expect(await page.locator('#f-maxAttempts-error').textContent()).toBe('Enter a whole number of attempts from 1 to 100.');
    // What was typed stays, so it can be corrected.
    expect(await retention.inputValue()).toBe('-1');
    expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(30);
  });

  it('valid values persist across a reload', async () => {
    await open('parameters');
    await field('History retention (days)').fill('60');
    await page.locator('#f-perMinuteLimits-smtp').fill('10');
    await page.locator('#f-perMinuteLimits-eml').fill('');
    await page.getByRole('button', { name: 'Save the email parameters' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toBe('The email parameters are saved.');
    await page.reload();
    expect(await field('History retention (days)').inputValue()).toBe('60');
    expect(await page.locator('#f-perMinuteLimits-smtp').inputValue()).toBe('10');
    expect(await page.getByLabel('Batch email provider').inputValue()).toBe('smtp');
    expect(await fixture.mailwright.parameters.get()).toMatchObject({ historyRetentionDays: 60, perMinuteLimits: { smtp: 10 }, batchProviderId: 'smtp' });
  });

  it('a password stays stored when its field is left blank, and the provider still signs in with it', async () => {
    await open('providers/smtp');
    expect(await page.content()).not.toContain(SMTP_PASSWORD);
    const password = field('Password');
    expect(await password.inputValue()).toBe('');
    await expect(page.getByText('A value is stored.').isVisible()).resolves.toBe(true);
    await field('Connection timeout (ms)').fill('15000');
    await page.getByRole('button', { name: 'Save the settings' }).click();
    await page.getByRole('status').waitFor();
    const stored = (await fixture.mailwright.store.getSetting<StoredSmtpSettings>('provider:smtp'))!;
    expect(stored.connectionTimeoutMs).toBe(15_000);
    expect(openSmtpSettings(stored, fixture.mailwright.secrets, 'smtp').password).toBe(SMTP_PASSWORD);

    await page.getByLabel('To', { exact: true }).fill('admin@example.com');
    await page.getByRole('button', { name: 'Send a test email' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('The test email was sent');
    expect(await page.locator('.status').first().textContent()).toBe('sent');
    expect(fixture.smtp.authAttempts.at(-1)).toEqual({ username: 'mailer@contoso.com', ok: true });
  });

  it('a refused email shows its explanation and fix, and once fixed it is retried from the console and sent', async () => {
    const id = await fixture.mailwright.enqueue({ from: 'sales@contoso.com', to: 'customer@example.com', subject: 'Statement November', text: 'x' });
    await fixture.distribute();
    await open('history');
    await page.getByLabel('failed', { exact: true }).check();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'Statement November' }).click();
    expect(page.url()).toBe(`${fixture.url}history/${id}`);
    const failure = page.locator('section', { has: page.getByRole('heading', { name: 'Why it failed' }) });
    const text = await failure.textContent();
    expect(text).toContain('MW_SEND_AS_DENIED');
    expect(text).toContain(`550 ${'5.7.1'}`);
    expect(text).toContain('Grant the authenticated mailbox Send As');
    await page.getByText('Transcript (secrets redacted)').click();
    expect(await page.locator('pre').first().textContent()).toContain('MAIL FROM:<sales@contoso.com>');
    expect(await page.locator('pre').first().textContent()).not.toContain(SMTP_PASSWORD);

    // The administrator grants Send As (the server's refusal is used up), then retries.
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('queued again');
    await fixture.distribute();
    await page.reload();
    expect(await page.locator('.status').first().textContent()).toBe('sent');
    expect(fixture.smtp.messages.at(-1)?.parsed.subject).toBe('Statement November');
  });

  it('an email whose subject is markup is shown as text: nothing runs', async () => {
    const id = await fixture.mailwright.enqueue({ from: 'billing@contoso.com', to: 'customer@example.com', subject: XSS_SUBJECT, text: 'x' });
    await open('history');
    expect(await page.getByRole('link', { name: XSS_SUBJECT }).count()).toBe(1);
    await open(`history/${id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(XSS_SUBJECT);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('a change without the CSRF token, from another site, or without authorization is refused', async () => {
    const before = (await fixture.mailwright.parameters.get()).historyRetentionDays;
    // Without the token (a request made outside the console's pages).
    const forged = await page.request.post(`${fixture.url}parameters`, { form: { historyRetentionDays: '5' } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('its CSRF token is missing or wrong');
    // From another application's page on the same host (same site, so the browser sends the
    // host's session cookie and the console's own cookie): only the token can stop it.
    const attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form method="post" action="${fixture.url}parameters"><input name="historyRetentionDays" value="5"><input name="_csrf" value="guess"><button>Win a prize</button></form>`);
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    try {
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${fixture.url}parameters`), page.getByRole('button', { name: 'Win a prize' }).click()]);
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain('This change was refused: it did not come from a page of this console');
    } finally {
      attacker.close();
    }
    // Without the host's authorization (no session cookie).
    await browser.context.clearCookies();
    try {
      const refused = await page.goto(`${fixture.url}history`);
      expect(refused?.status()).toBe(403);
      expect(await page.textContent('body')).toBe('You may not use this console.');
    } finally {
      await browser.context.addCookies([{ name: SESSION.name, value: SESSION.value, url: fixture.origin }]);
    }
    expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(before);
  });

  it('keyboard and screen readers: a skip link first, every field labelled, the current section marked', async () => {
    for (const path of ['history', 'parameters', 'providers/smtp', 'users/ana', 'distributor', 'templates/approval']) {
      expect(await open(path)).toBe(200);
      const unlabelled = await page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML)`);
      expect({ path, unlabelled }).toEqual({ path, unlabelled: [] });
    }
    await open('parameters');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Email parameters');
  });

  it('a user\'s options are saved, an emptied one cleared', async () => {
    await open('users/ana');
    await field('Sender email').fill('sales@contoso.com');
    await field('Language').fill('');
    await page.getByRole('button', { name: 'Save the options' }).click();
    await page.getByRole('status').waitFor();
    expect((await fixture.mailwright.users.getUser('ana'))?.options).toEqual({ providerId: 'smtp', senderEmail: 'sales@contoso.com' });
  });

  it('a template is previewed in each of its languages with the sample data, in a sandboxed frame', async () => {
    await open('templates/approval');
    expect(await page.getByRole('heading', { name: 'fr' }).count()).toBe(1);
    const french = page.frameLocator('iframe[title="HTML preview (fr)"]');
    expect(await french.locator('p').textContent()).toBe('Bonjour Ana, veuillez approuver Purchase order 4711.');
    expect(await page.locator('iframe[title="HTML preview (en)"]').getAttribute('sandbox')).toBe('');
    expect(await page.locator('dd').filter({ hasText: 'Approve Purchase order 4711' }).count()).toBe(1);
  });
});
