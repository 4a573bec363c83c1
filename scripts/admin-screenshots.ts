import { mkdir } from 'node:fs/promises';
import { startAdminFixture, SESSION } from '../test/admin/admin-fixture.js';
import { launchBrowser } from '../test/support/browser.js';

// Screenshots of the admin console for docs/admin.md, over the test fixture (a real SQLite file
// and SMTP server) with a few emails: `npm run docs:admin-screenshots` (needs Chromium).

const out = new URL('../docs/images/', import.meta.url);
await mkdir(out, { recursive: true });
const fixture = await startAdminFixture();
const browser = await launchBrowser();
try {
  const { mailwright } = fixture;
  for (const [from, subject] of [
    ['billing@contoso.com', 'Invoice 2026-1142'],
    ['billing@contoso.com', 'Invoice 2026-1143'],
    ['sales@contoso.com', 'Quote for Fabrikam'],
    ['billing@contoso.com', 'Statement November'],
  ] as const) {
    await mailwright.enqueue({ from, to: 'accounts@fabrikam.example', subject, text: 'x' }, { meta: { recordId: subject.split(' ').at(-1) } });
  }
  await fixture.distribute();
  await mailwright.enqueue({ from: 'billing@contoso.com', to: 'accounts@fabrikam.example', subject: 'Reminder: invoice 2026-1142', text: 'x' }, { sendAfter: '2099-01-01T00:00:00Z' });
  const [failed] = (await mailwright.history.list({ status: 'failed' })).items;

  await browser.context.addCookies([{ name: SESSION.name, value: SESSION.value, url: fixture.origin }]);
  const page = await browser.context.newPage();
  const shoot = async (path: string, file: string, act?: () => Promise<void>): Promise<void> => {
    await page.goto(fixture.url + path);
    await act?.();
    // The whole page in the viewport: a full-page capture misses frames below the fold (the previews).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.setViewportSize({ width: 1280, height: Math.max(900, Number(await page.evaluate('document.documentElement.scrollHeight'))) });
    await page.screenshot({ path: new URL(file, out).pathname });
    console.log(`docs/images/${file}`);
  };
  await shoot('history', 'admin-history.png');
  await shoot(`history/${failed!.id}`, 'admin-email-failed.png', async () => {
    await page.getByText('Transcript (secrets redacted)').click();
  });
  await shoot('parameters', 'admin-parameters-errors.png', async () => {
    await page.getByLabel('History retention (days)', { exact: true }).fill('-1');
    await page.getByRole('button', { name: 'Save the email parameters' }).click();
    await page.waitForLoadState();
  });
  await shoot('providers/smtp', 'admin-provider-smtp.png');
  await shoot('templates/approval', 'admin-template-preview.png', async () => {
    for (const language of ['en', 'fr']) await page.frameLocator(`iframe[title="HTML preview (${language})"]`).locator('p').waitFor();
  });
  await shoot('distributor', 'admin-distributor.png');
} finally {
  await browser.close();
  await fixture.close();
}
