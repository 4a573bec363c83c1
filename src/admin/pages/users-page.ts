import { settingsJsonSchemas } from '../../parameters/json-schemas.js';
import { settingsFromForm } from '../../parameters/settings-from-form.js';
import type { UserEmailOptions, UserEmailOptionsUpdate } from '../../users/user-directory.js';
import type { AdminPage, AdminRequest, AdminResponse } from '../admin-request.js';
import { html } from '../html.js';
import { csrfField, errorNotice, notice } from '../layout.js';
import { errorSummary, fieldLabels, flatValues, schemaFields, submittedValues } from '../schema-form.js';

const OPTION_NAMES: readonly (keyof UserEmailOptions)[] = ['senderEmail', 'senderName', 'providerId', 'doNotAskAgain', 'emailNotifications', 'language'];

/** GET users: open a user by id; the users the host lists. */
export const usersPage: AdminPage = async (request) => {
  const id = request.query.get('id')?.trim();
  if (id) return { kind: 'redirect', location: request.href(`users/${encodeURIComponent(id)}`) };
  const users = request.options.listUsers === undefined ? undefined : await request.options.listUsers();
  const body = html`
<form method="get" action="${request.href('users')}" class="row">
<div class="field"><label for="user-id">User id</label><input type="text" id="user-id" name="id"></div>
<button type="submit" class="secondary">Open</button>
</form>
${users === undefined
  ? html`<p class="muted">The application does not list its users here (the <code>listUsers</code> option): open one by id.</p>`
  : html`<table><caption>Users</caption><thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Sender email</th><th scope="col">Provider</th></tr></thead><tbody>${users.map(
      (u) =>
        html`<tr><td><a href="${request.href(`users/${encodeURIComponent(u.id)}`)}">${u.displayName ?? u.id}</a></td><td>${u.email}</td><td>${u.options?.senderEmail ?? ''}</td><td>${u.options?.providerId ?? 'ask'}</td></tr>`,
    )}</tbody></table>`}`;
  return { kind: 'page', title: 'Users', section: 'users', body };
};

async function render(request: AdminRequest, submitted?: { form: URLSearchParams; errors: Record<string, string> }): Promise<AdminResponse> {
  const { mailwright } = request;
  const id = request.params[0]!;
  const user = await mailwright.users.getUser(id);
  if (user === undefined) {
    return { kind: 'page', title: 'No such user', section: 'users', status: 404, body: errorNotice({ message: `The user directory has no user "${id}".`, fix: 'Check the id.' }) };
  }
  const providers = mailwright.providers();
  const schema = settingsJsonSchemas({ providers }).userEmailOptions;
  const errors = submitted?.errors ?? {};
  const body = html`
${request.query.get('saved') ? notice('ok', 'The options are saved.') : ''}
<dl class="facts"><dt>Id</dt><dd>${user.id}</dd><dt>Email</dt><dd>${user.email}</dd><dt>Name</dt><dd>${user.displayName ?? ''}</dd><dt>External</dt><dd>${user.external ? 'yes (cannot use Exchange)' : 'no'}</dd></dl>
${errorSummary(errors, fieldLabels(schema))}
<form class="settings" method="post" action="${request.href(`users/${encodeURIComponent(user.id)}`)}" novalidate>
${csrfField(request.csrfToken)}
${schemaFields(schema, {
  values: submitted ? submittedValues(submitted.form) : flatValues(user.options ?? {}),
  errors,
  choices: Object.fromEntries(providers.map((p) => [p.id, p.displayName])),
  emptyChoice: { providerId: 'Ask each time', doNotAskAgain: 'No', emailNotifications: 'No' },
})}
<button type="submit">Save the options</button>
</form>`;
  return { kind: 'page', title: `Email options of ${user.displayName ?? user.id}`, section: 'users', body, status: submitted ? 400 : 200 };
}

/** GET users/:id: the user's email options. */
export const userPage: AdminPage = (request) => render(request);

/** POST users/:id: replaces the user's email options (an emptied one is cleared). */
export const saveUser: AdminPage = async (request) => {
  const { mailwright } = request;
  const parsed = settingsFromForm('userEmailOptions', request.form, { providers: mailwright.providers() });
  if (!parsed.success) return render(request, { form: request.form, errors: parsed.errors });
  const id = request.params[0]!;
  if ((await mailwright.users.getUser(id)) === undefined) return render(request);
  const update: UserEmailOptionsUpdate = Object.fromEntries(OPTION_NAMES.map((name) => [name, parsed.data[name]]));
  await mailwright.users.updateOptions(id, update);
  return { kind: 'redirect', location: request.href(`users/${encodeURIComponent(id)}`, { saved: '1' }) };
};
