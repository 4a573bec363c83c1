import { ADMIN_SECTIONS, type AdminSection } from './admin-request.js';
import { html, type SafeHtml } from './html.js';

/** A whole page: skip link, navigation (the current section marked), the title as h1, the content. */
export function layout({ title, section, body, base, brand }: { title: string; section: AdminSection; body: SafeHtml; base: string; brand: string }): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${brand} admin</title>
<link rel="stylesheet" href="${base}assets/admin.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<span class="brand">${brand} admin</span>
<nav aria-label="Console sections"><ul>
${ADMIN_SECTIONS.map(([id, label]) => html`<li><a href="${base}${id}"${id === section ? html` aria-current="page"` : ''}>${label}</a></li>`)}
</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/** A notice: `ok` (role status), `bad` (role alert, focused so a screen reader reads it first) or `info`. */
export function notice(kind: 'ok' | 'bad' | 'info', content: SafeHtml | string): SafeHtml {
  return kind === 'bad'
    ? html`<div class="notice bad" role="alert" tabindex="-1" autofocus>${content}</div>`
    : html`<div class="notice ${kind}" role="${kind === 'ok' ? 'status' : 'note'}">${content}</div>`;
}

/** An error with what to do about it (a MailwrightError's message and fix). */
export function errorNotice(error: { message: string; fix?: string | undefined; code?: string }): SafeHtml {
  return notice('bad', html`<p><strong>${error.code ? `${error.code}: ` : ''}</strong>${error.message}</p>${error.fix ? html`<p><strong>Fix:</strong> ${error.fix}</p>` : ''}`);
}

/** The hidden CSRF field every form carries. */
export const csrfField = (token: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A status as a badge. */
export const statusBadge = (status: string): SafeHtml => html`<span class="status ${status}">${status}</span>`;
