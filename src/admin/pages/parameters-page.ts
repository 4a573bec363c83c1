import { settingsJsonSchemas } from '../../parameters/json-schemas.js';
import { settingsFromForm } from '../../parameters/settings-from-form.js';
import type { AdminPage, AdminRequest, AdminResponse } from '../admin-request.js';
import { html } from '../html.js';
import { csrfField, errorNotice, notice } from '../layout.js';
import { errorSummary, fieldLabels, flatValues, schemaFields, submittedValues } from '../schema-form.js';
import { saveFailure, type SaveFailure } from '../settings-outcome.js';

/** The email parameters form, with each provider's limit in force. */
async function render(request: AdminRequest, submitted?: { form: URLSearchParams; failure: SaveFailure }): Promise<AdminResponse> {
  const { mailwright } = request;
  const providers = mailwright.providers();
  const schema = settingsJsonSchemas({ providers }).emailParameters;
  let stored: Record<string, string> = {};
  let readError: unknown;
  try {
    stored = flatValues(await mailwright.parameters.get());
  } catch (error) {
    readError = error;
  }
  const effective = await mailwright.parameters.effective().catch(() => undefined);
  const values = submitted ? submittedValues(submitted.form) : stored;
  const errors = submitted && 'errors' in submitted.failure ? submitted.failure.errors : {};
  const hints = Object.fromEntries(
    providers.map((p) => {
      const limit = effective?.perMinuteLimits[p.id];
      const inForce = limit === undefined ? '' : limit === 0 ? 'In force: no limit' : `In force: ${limit} a minute`;
      const automatic = stored[`perMinuteLimits.${p.id}`] === undefined ? ` (automatic${limit === 30 ? ': the Microsoft 365 limit' : ''}).` : ' (set here).';
      return [`perMinuteLimits.${p.id}`, limit === undefined ? 'Empty: the automatic limit.' : `${inForce}${automatic} Empty: the automatic limit.`];
    }),
  );
  const body = html`
${request.query.get('saved') ? notice('ok', 'The email parameters are saved.') : ''}
${readError !== undefined ? errorNotice(readError as Error) : ''}
${submitted && 'error' in submitted.failure ? errorNotice(submitted.failure.error) : ''}
${errorSummary(errors, fieldLabels(schema))}
<form class="settings" method="post" action="${request.href('parameters')}" novalidate>
${csrfField(request.csrfToken)}
${schemaFields(schema, {
  values,
  errors,
  choices: Object.fromEntries(providers.map((p) => [p.id, `${p.displayName} (${p.id})`])),
  emptyChoice: { batchProviderId: 'None: queued email waits' },
  hints,
})}
<button type="submit">Save the email parameters</button>
</form>
<section aria-labelledby="limits"><h2 id="limits">Per-minute limits in force</h2>
<table><thead><tr><th scope="col">Provider</th><th scope="col" class="num">Emails a minute</th><th scope="col">Why</th></tr></thead><tbody>
${providers.map((p) => {
  const limit = effective?.perMinuteLimits[p.id];
  const byHand = stored[`perMinuteLimits.${p.id}`] !== undefined;
  return html`<tr><td>${p.displayName} <span class="muted">(${p.id})</span></td><td class="num">${limit === undefined ? '?' : limit === 0 ? 'no limit' : limit}</td><td>${byHand ? 'Set here' : limit === 30 ? 'Automatic: Microsoft 365 (Exchange Online allows 30 a minute)' : 'Automatic: none'}</td></tr>`;
})}
</tbody></table></section>`;
  return { kind: 'page', title: 'Email parameters', section: 'parameters', body, status: submitted ? 400 : 200 };
}

/** GET: the form. */
export const parametersPage: AdminPage = (request) => render(request);

/** POST: saves the form, or shows it again with each bad field's message. */
export const saveParameters: AdminPage = async (request) => {
  const { mailwright } = request;
  const parsed = settingsFromForm('emailParameters', request.form, { providers: mailwright.providers() });
  if (!parsed.success) return render(request, { form: request.form, failure: { errors: parsed.errors } });
  try {
    await mailwright.parameters.update(parsed.data);
  } catch (error) {
    return render(request, { form: request.form, failure: saveFailure(error) });
  }
  return { kind: 'redirect', location: request.href('parameters', { saved: '1' }) };
};
