import { isMailwrightError } from '../../errors/mailwright-error.js';
import { settingsJsonSchemas } from '../../parameters/json-schemas.js';
import { settingsFromForm } from '../../parameters/settings-from-form.js';
import type { ProviderInfo } from '../../providers/provider.js';
import type { AdminPage, AdminRequest, AdminResponse } from '../admin-request.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, errorNotice, notice } from '../layout.js';
import { errorSummary, fieldLabels, flatValues, schemaFields, submittedValues } from '../schema-form.js';
import { saveFailure, type SaveFailure } from '../settings-outcome.js';

/** The stored-settings forms the console has, by provider kind. */
const SETTINGS = { smtp: 'smtpSettings', exchange: 'exchangeSettings' } as const;
type Kind = keyof typeof SETTINGS;
const hasSettings = (kind: string): kind is Kind => kind in SETTINGS;

/** GET providers: every registered provider. */
export const providersPage: AdminPage = async (request) => {
  const rows = request.mailwright.providers().map(
    (p) =>
      html`<tr><td><a href="${request.href(`providers/${encodeURIComponent(p.id)}`)}">${p.displayName}</a></td><td>${p.id}</td><td>${p.kind}</td><td>${p.interactive ? 'yes' : 'no'}</td><td>${p.batch ? 'yes' : 'no'}</td><td>${p.microsoft365 ? 'yes' : 'no'}</td></tr>`,
  );
  const body = html`<table><caption>Registered providers</caption><thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Kind</th><th scope="col">Interactive</th><th scope="col">Batch</th><th scope="col">Microsoft 365</th></tr></thead><tbody>${rows}</tbody></table>`;
  return { kind: 'page', title: 'Providers', section: 'providers', body };
};

/** What one provider's page shows besides its settings. */
interface ProviderExtras {
  submitted?: { form: URLSearchParams; failure: SaveFailure };
  checks?: SafeHtml;
  status?: number;
}

/** The stored settings as form values, and which secrets are stored. */
async function storedSettings(request: AdminRequest, provider: ProviderInfo, kind: Kind): Promise<{ values: Record<string, string>; stored: Set<string> }> {
  if (kind === 'smtp') {
    const view = await request.mailwright.smtpSettings.get(provider.id);
    if (view === undefined) return { values: {}, stored: new Set() };
    const { hasPassword, ...rest } = view;
    return { values: flatValues(rest), stored: new Set(hasPassword ? ['password'] : []) };
  }
  const view = await request.mailwright.exchangeSettings.get(provider.id);
  if (view === undefined) return { values: {}, stored: new Set() };
  const { credential, certificateThumbprintSha256, ...rest } = view;
  return {
    values: { ...flatValues(rest), ...(certificateThumbprintSha256 !== undefined ? { 'certificate.thumbprintSha256': certificateThumbprintSha256 } : {}) },
    stored: new Set(credential === 'certificate' ? ['certificate', 'certificate.privateKey'] : ['clientSecret']),
  };
}

async function render(request: AdminRequest, extras: ProviderExtras = {}): Promise<AdminResponse> {
  const { mailwright } = request;
  const provider = mailwright.provider(request.params[0]!);
  const base = `providers/${encodeURIComponent(provider.id)}`;
  let settings: SafeHtml | string = html`<p>This provider has no settings the console can edit: they are given in code.</p>`;
  if (hasSettings(provider.kind)) {
    const schema = settingsJsonSchemas({ locale: 'en' })[SETTINGS[provider.kind]];
    const { values, stored } = await storedSettings(request, provider, provider.kind);
    const failure = extras.submitted?.failure;
    const errors = failure && 'errors' in failure ? failure.errors : {};
    settings = html`
${failure && 'error' in failure ? errorNotice(failure.error) : ''}
${errorSummary(errors, fieldLabels(schema))}
<p class="muted">Stored settings are used by a provider created without settings in code, e.g. <code>${provider.kind}Provider({ id: '${provider.id}' })</code>. Secrets are stored encrypted and never shown.</p>
<form class="settings" method="post" action="${request.href(`${base}/settings`)}" novalidate>
${csrfField(request.csrfToken)}
${schemaFields(schema, { values: extras.submitted ? submittedValues(extras.submitted.form) : values, errors, stored })}
<button type="submit">Save the settings</button>
</form>`;
  }
  const verify = mailwright.provider(provider.id).verifyConnection !== undefined;
  const body = html`
${request.query.get('saved') ? notice('ok', 'The settings are saved.') : ''}
<dl class="facts"><dt>Id</dt><dd>${provider.id}</dd><dt>Kind</dt><dd>${provider.kind}</dd><dt>Sends</dt><dd>${[provider.interactive ? 'interactive email' : '', provider.batch ? 'batch email' : ''].filter(Boolean).join(' and ')}</dd><dt>Microsoft 365</dt><dd>${provider.microsoft365 ? 'yes (30 emails a minute unless set)' : 'not known when made'}</dd></dl>
<section aria-labelledby="settings"><h2 id="settings">Settings</h2>${settings}</section>
<section aria-labelledby="check"><h2 id="check">Connection check</h2>
${extras.checks ?? ''}
<form method="post" action="${request.href(`${base}/check`)}" novalidate>
${csrfField(request.csrfToken)}
${verify
  ? html`<p class="hint">Connects and signs in without sending anything.</p>`
  : html`<p class="hint">This provider cannot check its connection without sending: the check sends a test email.</p><div class="field"><label for="check-to">Send the test email to</label><input type="text" id="check-to" name="to" autocomplete="email"></div>`}
<button type="submit" class="secondary">Check the connection</button>
</form></section>
<section aria-labelledby="test"><h2 id="test">Test email</h2>
<form method="post" action="${request.href(`${base}/test-email`)}" novalidate>
${csrfField(request.csrfToken)}
<div class="row"><div class="field"><label for="test-to">To</label><input type="text" id="test-to" name="to" autocomplete="email"></div>
<div class="field"><label for="test-from">From <span class="muted">(empty: the provider's mailbox)</span></label><input type="text" id="test-from" name="from"></div></div>
<p class="hint">At most ${request.options.testEmailsPerMinute} test emails and checks a minute. The result is recorded in the history.</p>
<button type="submit">Send a test email</button>
</form></section>`;
  return { kind: 'page', title: provider.displayName, section: 'providers', body, status: extras.status ?? (extras.submitted ? 400 : 200) };
}

/** GET providers/:id: its settings, connection check and test email. */
export const providerPage: AdminPage = (request) => render(request);

/** POST providers/:id/settings: saves the stored settings; a secret left empty keeps the stored one. */
export const saveProviderSettings: AdminPage = async (request) => {
  const { mailwright } = request;
  const provider = mailwright.provider(request.params[0]!);
  if (!hasSettings(provider.kind)) return render(request, { status: 404 });
  const parsed = settingsFromForm(SETTINGS[provider.kind], request.form);
  if (!parsed.success) return render(request, { submitted: { form: request.form, failure: { errors: parsed.errors } } });
  try {
    if (provider.kind === 'smtp') await mailwright.smtpSettings.save(provider.id, parsed.data as Parameters<typeof mailwright.smtpSettings.save>[1]);
    else await mailwright.exchangeSettings.save(provider.id, parsed.data as Parameters<typeof mailwright.exchangeSettings.save>[1]);
  } catch (error) {
    return render(request, { submitted: { form: request.form, failure: saveFailure(error) } });
  }
  return { kind: 'redirect', location: request.href(`providers/${encodeURIComponent(provider.id)}`, { saved: '1' }) };
};

/** A 429 page when the console has sent its test emails for this minute. */
function rateLimited(request: AdminRequest, waitSeconds: number): Promise<AdminResponse> {
  return render(request, {
    status: 429,
    checks: notice('bad', `At most ${request.options.testEmailsPerMinute} test emails and connection checks a minute: try again in ${waitSeconds} s.`),
  }).then((page) => (page.kind === 'page' ? { ...page, headers: { 'Retry-After': String(waitSeconds) } } : page));
}

/** Sends a test email and opens its history entry (its classified result), or shows why it could not be sent. */
async function sendTest(request: AdminRequest, to: string, from: string | undefined): Promise<AdminResponse> {
  const id = request.params[0]!;
  try {
    const result = await request.mailwright.sendTestEmail({ provider: id, to, ...(from ? { from } : {}) });
    return { kind: 'redirect', location: request.href(`history/${encodeURIComponent(result.emailId)}`, { done: 'test-email' }) };
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    return render(request, { status: 400, checks: errorNotice(error) });
  }
}

/** POST providers/:id/test-email (rate-limited). */
export const sendTestEmailAction: AdminPage = async (request) => {
  const wait = request.testEmails.take();
  if (wait > 0) return rateLimited(request, wait);
  return sendTest(request, request.form.get('to') ?? '', request.form.get('from') ?? undefined);
};

/** POST providers/:id/check (rate-limited): the provider's own check when it has one, else a test email. */
export const checkConnection: AdminPage = async (request) => {
  const wait = request.testEmails.take();
  if (wait > 0) return rateLimited(request, wait);
  const provider = request.mailwright.provider(request.params[0]!);
  if (provider.verifyConnection === undefined) return sendTest(request, request.form.get('to') ?? '', undefined);
  let result;
  try {
    result = await provider.verifyConnection();
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    return render(request, { checks: errorNotice(error) });
  }
  const passed = result.ok;
  const list = html`<ul>${result.checks.map(
    (check) =>
      html`<li><strong>${check.status === 'ok' ? 'Passed' : check.status === 'warning' ? 'Warning' : 'Failed'}:</strong> ${check.name}${check.code ? html` <code>${check.code}</code>` : ''} — ${check.message}${check.fix ? html`<br><strong>Fix:</strong> ${check.fix}` : ''}</li>`,
  )}</ul>`;
  return render(request, { checks: notice(passed ? 'ok' : 'bad', html`<p><strong>${passed ? 'The connection works.' : 'The connection check failed.'}</strong></p>${list}`) });
};
