import { isMailwrightError } from '../../errors/mailwright-error.js';
import type { HistoryListPage } from '../../history/history-service.js';
import { EMAIL_STATUSES } from '../../store/email-record.js';
import type { HistoryCounts } from '../../store/history-query.js';
import type { AdminPage, AdminRequest } from '../admin-request.js';
import { filterParams, historyQueryOf } from '../history-filters.js';
import { html } from '../html.js';
import { errorNotice, statusBadge } from '../layout.js';

const PAGE_SIZE = 50;

/** The filter form (GET, so a filtered list is a link). */
function filterForm(request: AdminRequest, counts: HistoryCounts | undefined) {
  const q = request.query;
  const value = (name: string) => q.get(name) ?? '';
  const input = (name: string, label: string, type = 'text') =>
    html`<div class="field"><label for="filter-${name}">${label}</label><input type="${type}" id="filter-${name}" name="${name}" value="${value(name)}"></div>`;
  const statuses = new Set(q.getAll('status'));
  const codes = counts?.byFailureCode.map((c) => c.code) ?? [];
  return html`<form method="get" action="${request.href('history')}" aria-label="Filter the history">
<fieldset><legend>Filters</legend>
<div class="row">
<fieldset class="field"><legend>Status</legend>${EMAIL_STATUSES.map(
    (s) => html`<span class="field checkbox"><input type="checkbox" id="filter-status-${s}" name="status" value="${s}"${statuses.has(s) ? html` checked` : ''}><label for="filter-status-${s}">${s}</label></span> `,
  )}</fieldset>
</div>
<div class="row">
${input('sender', 'From address')}
${input('recipient', 'Recipient contains')}
${input('subject', 'Subject contains')}
${input('user', 'User id')}
</div>
<div class="row">
<div class="field"><label for="filter-provider">Provider</label><select id="filter-provider" name="provider"><option value="">Any</option>${request.mailwright
    .providers()
    .map((p) => html`<option value="${p.id}"${p.id === value('provider') ? html` selected` : ''}>${p.displayName} (${p.id})</option>`)}</select></div>
<div class="field"><label for="filter-code">Failure code</label><select id="filter-code" name="code"><option value="">Any</option>${[...new Set([...codes, ...q.getAll('code').filter(Boolean)])].map(
    (c) => html`<option value="${c}"${q.getAll('code').includes(c) ? html` selected` : ''}>${c}</option>`,
  )}</select></div>
${input('metaKey', 'Meta key')}
${input('metaValue', 'Meta value')}
${input('since', 'Created from', 'date')}
${input('until', 'Created until', 'date')}
</div>
<div class="actions"><button type="submit">Filter</button><a class="button secondary" href="${request.href('history')}">Clear the filters</a></div>
</fieldset></form>`;
}

/** GET history: filters, counts by status and by failure code, the list, export links. */
export const historyPage: AdminPage = async (request) => {
  const { mailwright, query } = request;
  const filters = historyQueryOf(query);
  const { status: _status, ...withoutStatus } = filters;
  let counts: HistoryCounts | undefined;
  let page: HistoryListPage = { items: [] };
  let problem;
  try {
    counts = await mailwright.history.counts(withoutStatus);
    const cursor = query.get('cursor') ?? undefined;
    page = await mailwright.history.list({ ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    problem = error;
  }
  const statusCounts = counts
    ? html`<ul class="counts" aria-label="Emails by status">${EMAIL_STATUSES.map(
        (s) => html`<li><a href="${request.href('history', filterParams(query, { status: s }))}"><strong>${counts.byStatus[s]}</strong>${s}</a></li>`,
      )}</ul>`
    : '';
  const codeCounts =
    counts && counts.byFailureCode.length > 0
      ? html`<ul class="counts" aria-label="Emails by failure code">${counts.byFailureCode.map(
          (c) => html`<li><a href="${request.href('history', filterParams(query, { code: c.code }))}"><strong>${c.count}</strong>${c.code}</a></li>`,
        )}</ul>`
      : '';
  const rows = page.items.map((r) => {
    const to = r.recipients.map((x) => x.address).join(', ');
    return html`<tr><td>${r.createdAt.slice(0, 19).replace('T', ' ')}</td><td>${statusBadge(r.status)}</td><td>${r.from}</td><td>${to}</td><td><a href="${request.href(`history/${encodeURIComponent(r.id)}`)}">${r.subject || '(no subject)'}</a></td><td>${r.failure?.code ?? ''}</td></tr>`;
  });
  const body = html`
${problem !== undefined ? errorNotice(problem) : ''}
${statusCounts}
${codeCounts}
${filterForm(request, counts)}
<p class="actions">Export this list: <a href="${request.href('history/export', filterParams(query, { format: 'csv' }))}">CSV</a> <a href="${request.href('history/export', filterParams(query, { format: 'json' }))}">JSON</a></p>
<table><caption>Emails, newest first${counts ? ` (${counts.total} in all)` : ''}</caption>
<thead><tr><th scope="col">Created (UTC)</th><th scope="col">Status</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Failure</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="6">No email matches.</td></tr>`}</tbody></table>
${page.nextCursor !== undefined ? html`<p class="actions"><a class="button secondary" href="${request.href('history', { ...filterParams(query), cursor: page.nextCursor })}">Older emails</a></p>` : ''}`;
  return { kind: 'page', title: 'Email history', section: 'history', body, status: problem !== undefined ? 400 : 200 };
};

/** GET history/export?format=csv|json&filters…: the filtered list as a file. */
export const historyExport: AdminPage = async (request) => {
  const format = request.query.get('format') === 'json' ? 'json' : 'csv';
  const chunks = await request.mailwright.history.export(historyQueryOf(request.query), { format });
  const stamp = request.mailwright.clock.now().toFormat("yyyyLLdd'T'HHmmss");
  return {
    kind: 'raw',
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    body: chunks,
    headers: { 'Content-Disposition': `attachment; filename="mailwright-history-${stamp}.${format}"` },
  };
};
