import { isMailwrightError } from '../../errors/mailwright-error.js';
import type { AdminPage, AdminRequest, AdminResponse } from '../admin-request.js';
import { html, type SafeHtml } from '../html.js';
import { errorNotice } from '../layout.js';

/** A preview's policy: no script, no request anywhere, inline styles (email HTML has them), in a sandbox. */
const PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const notListed = (id: string): AdminResponse => ({
  kind: 'page',
  title: 'No such template',
  section: 'templates',
  status: 404,
  body: errorNotice({ message: `The template "${id}" is not one the console lists.`, fix: 'Add it to the templates option of createAdminHandler().' }),
});

/** GET templates: the templates the host lists, with their origin and languages. */
export const templatesPage: AdminPage = async (request) => {
  const rows = await Promise.all(
    request.options.templates.map(async ({ id }) => {
      try {
        const { template, origin } = await request.mailwright.templates.resolve(id);
        return html`<tr><td><a href="${request.href(`templates/${encodeURIComponent(id)}`)}">${id}</a></td><td>${origin}</td><td>${Object.keys(template.variants).join(', ')}</td><td>${template.defaultLanguage}</td><td>${template.senderEmail ?? ''}</td></tr>`;
      } catch (error) {
        if (!isMailwrightError(error)) throw error;
        return html`<tr><td>${id}</td><td colspan="4">${error.code}: ${error.message}</td></tr>`;
      }
    }),
  );
  const body =
    rows.length === 0
      ? html`<p class="muted">The application lists no templates here (the <code>templates</code> option).</p>`
      : html`<table><caption>Templates</caption><thead><tr><th scope="col">Id</th><th scope="col">Origin</th><th scope="col">Languages</th><th scope="col">Default</th><th scope="col">Sender</th></tr></thead><tbody>${rows}</tbody></table>`;
  return { kind: 'page', title: 'Templates', section: 'templates', body };
};

/** One language of a template, rendered with the sample data (or why it cannot be). */
async function languagePreview(request: AdminRequest, id: string, language: string, data: Record<string, unknown>): Promise<SafeHtml> {
  try {
    const rendered = await request.mailwright.templates.renderContent(id, { language, data });
    return html`<section aria-labelledby="lang-${language}"><h2 id="lang-${language}">${language}</h2>
<dl class="facts"><dt>Subject</dt><dd>${rendered.subject}</dd></dl>
${rendered.html !== undefined ? html`<h3>HTML</h3><iframe class="preview" title="HTML preview (${language})" sandbox src="${request.href(`templates/${encodeURIComponent(id)}/preview`, { language })}"></iframe>` : ''}
${rendered.text !== undefined ? html`<h3>Text</h3><pre>${rendered.text}</pre>` : ''}
</section>`;
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    return html`<section aria-labelledby="lang-${language}"><h2 id="lang-${language}">${language}</h2>${errorNotice(error)}</section>`;
  }
}

/** GET templates/:id: the template rendered in each of its languages with the sample data. */
export const templatePage: AdminPage = async (request) => {
  const id = request.params[0]!;
  const listed = request.options.templates.find((t) => t.id === id);
  if (listed === undefined) return notListed(id);
  let resolved;
  try {
    resolved = await request.mailwright.templates.resolve(id);
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    return { kind: 'page', title: id, section: 'templates', status: 404, body: errorNotice(error) };
  }
  const data = listed.sampleData ?? {};
  const previews = await Promise.all(Object.keys(resolved.template.variants).map((language) => languagePreview(request, id, language, data)));
  const body = html`<dl class="facts"><dt>Origin</dt><dd>${resolved.origin}</dd><dt>Default language</dt><dd>${resolved.template.defaultLanguage}</dd><dt>Sender</dt><dd>${resolved.template.senderEmail ?? ''}</dd></dl>
<h2>Sample data</h2><pre>${JSON.stringify(data, null, 2)}</pre>
${previews}`;
  return { kind: 'page', title: `Template ${id}`, section: 'templates', body };
};

/** GET templates/:id/preview?language=: the rendered HTML alone, for the sandboxed frame. */
export const templatePreview: AdminPage = async (request) => {
  const id = request.params[0]!;
  const listed = request.options.templates.find((t) => t.id === id);
  if (listed === undefined) return notListed(id);
  const language = request.query.get('language') ?? undefined;
  const rendered = await request.mailwright.templates.renderContent(id, { ...(language ? { language } : {}), data: listed.sampleData ?? {} });
  return { kind: 'raw', contentType: 'text/html; charset=utf-8', body: rendered.html ?? '', headers: { 'Content-Security-Policy': PREVIEW_CSP } };
};
