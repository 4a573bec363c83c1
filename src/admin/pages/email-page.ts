import type { FailureDetail } from '../../errors/failure-detail.js';
import type { EmailHistoryEntry } from '../../history/history-service.js';
import type { AttemptRecord } from '../../store/email-record.js';
import type { AdminPage, AdminRequest } from '../admin-request.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, errorNotice, notice, statusBadge } from '../layout.js';

/** What a redirect after an action says. */
const DONE: Record<string, string> = {
  retried: 'The email is queued again: the distributor sends it at its next run.',
  cancelled: 'The email is cancelled: it will not be sent (retry sends it after all).',
  'test-email': 'The test email was sent; its result is below.',
};

/** Why an action did nothing (the store's reasons). */
const SKIPPED: Record<string, string> = {
  'not-failed': 'only failed email can be retried',
  'message-not-kept': 'its message is not kept',
  'not-found': 'no such email',
  'being-sent': 'it is being sent and cannot be called back',
  finished: 'it is already finished',
};

function failureBlock(f: FailureDetail): SafeHtml {
  const reply = [f.smtpCode ?? f.httpStatus, f.enhancedCode].filter((x) => x !== undefined).join(' ');
  return html`<section aria-labelledby="failure"><h2 id="failure">Why it failed</h2>
<dl class="facts">
<dt>Code</dt><dd><code>${f.code}</code> (${f.category}, ${f.permanent ? 'permanent: retrying the same email cannot succeed' : 'transient'})</dd>
${reply ? html`<dt>Server code</dt><dd>${reply}</dd>` : ''}
${f.serverResponse ? html`<dt>Server said</dt><dd>${f.serverResponse}</dd>` : html`<dt>Message</dt><dd>${f.message}</dd>`}
<dt>Explanation</dt><dd>${f.explanation}</dd>
<dt>Fix</dt><dd><strong>${f.fix}</strong></dd>
</dl></section>`;
}

function attemptRow(a: AttemptRecord): SafeHtml {
  return html`<li><p><strong>${a.outcome}</strong> — attempt ${a.attempt}${a.providerId ? ` with ${a.providerId}` : ''}, ${a.startedAt.slice(0, 19).replace('T', ' ')} UTC${a.failure ? html`: <code>${a.failure.code}</code> ${a.failure.message}` : ''}</p>
${a.transcript ? html`<details><summary>Transcript (secrets redacted)</summary><pre>${a.transcript}</pre></details>` : ''}</li>`;
}

function actions(request: AdminRequest, email: EmailHistoryEntry): SafeHtml {
  const path = `history/${encodeURIComponent(email.id)}`;
  const retry = email.retry.retryable
    ? html`<form method="post" action="${request.href(`${path}/retry`)}">${csrfField(request.csrfToken)}<button type="submit">Retry</button></form>`
    : email.status === 'failed'
      ? html`<p class="muted">Cannot be retried: ${email.retry.explanation ?? ''}</p>`
      : '';
  const cancel =
    email.status === 'queued' || email.status === 'deferred'
      ? html`<form method="post" action="${request.href(`${path}/cancel`)}" class="row">${csrfField(request.csrfToken)}<div class="field"><label for="cancel-reason">Reason</label><input type="text" id="cancel-reason" name="reason" placeholder="Cancelled by an administrator"></div><button type="submit" class="danger">Cancel this email</button></form>`
      : '';
  return retry || cancel ? html`<div class="actions">${retry}${cancel}</div>` : html``;
}

/** GET history/:id: one email, why it failed and what to do, its attempts with transcripts, retry and cancel. */
export const emailPage: AdminPage = async (request) => {
  const email = await request.mailwright.history.get(request.params[0]!);
  if (email === undefined) {
    return { kind: 'page', title: 'No such email', section: 'history', status: 404, body: errorNotice({ message: 'No email with this id in the history.', fix: 'It may have been purged by the history retention.' }) };
  }
  const done = request.query.get('done');
  const skipped = request.query.get('skipped');
  const recipients = email.recipients.map(
    (r) => html`<tr><td>${r.kind}</td><td>${r.name ? `${r.name} <${r.address}>` : r.address}</td><td>${r.status}</td><td>${r.response ?? ''}</td></tr>`,
  );
  const body = html`
${done && DONE[done] ? notice('ok', DONE[done]!) : ''}
${skipped && SKIPPED[skipped] ? notice('bad', `Nothing was done: ${SKIPPED[skipped]!}.`) : ''}
<dl class="facts">
<dt>Status</dt><dd>${statusBadge(email.status)}${email.forced ? ' (sent over the per-minute limit after the maximum deferrals)' : ''}</dd>
<dt>Subject</dt><dd>${email.subject}</dd>
<dt>From</dt><dd>${email.from}</dd>
${email.sender ? html`<dt>Sender</dt><dd>${email.sender}</dd>` : ''}
<dt>Provider</dt><dd>${email.providerId ?? 'none yet'} (${email.mode})</dd>
${email.userId ? html`<dt>User</dt><dd>${email.userId}</dd>` : ''}
<dt>Created</dt><dd>${email.createdAt}</dd>
${email.sentAt ? html`<dt>Sent</dt><dd>${email.sentAt}</dd>` : ''}
<dt>Attempts</dt><dd>${email.attempts} (deferred ${email.deferrals} times)</dd>
${email.blockedReason ? html`<dt>Blocked</dt><dd>${email.blockedReason}</dd>` : ''}
<dt>Message-ID</dt><dd>${email.messageId}</dd>
${Object.keys(email.meta).length > 0 ? html`<dt>Meta</dt><dd><code>${JSON.stringify(email.meta)}</code></dd>` : ''}
</dl>
${email.failure ? failureBlock(email.failure) : ''}
${actions(request, email)}
<table><caption>Recipients</caption><thead><tr><th scope="col">Kind</th><th scope="col">Address</th><th scope="col">Result</th><th scope="col">Server reply</th></tr></thead><tbody>${recipients}</tbody></table>
<section aria-labelledby="attempts"><h2 id="attempts">Attempts</h2>${email.attemptLog.length > 0 ? html`<ol>${email.attemptLog.map(attemptRow)}</ol>` : html`<p class="muted">None yet.</p>`}</section>`;
  return { kind: 'page', title: email.subject || '(no subject)', section: 'history', body };
};

/** POST history/:id/retry. */
export const retryEmail: AdminPage = async (request) => {
  const id = request.params[0]!;
  const { skipped } = await request.mailwright.history.retry([id]);
  const reason = skipped[0]?.reason;
  return { kind: 'redirect', location: request.href(`history/${encodeURIComponent(id)}`, reason === undefined ? { done: 'retried' } : { skipped: reason }) };
};

/** POST history/:id/cancel (with an optional reason). */
export const cancelEmail: AdminPage = async (request) => {
  const id = request.params[0]!;
  const reason = request.form.get('reason')?.trim();
  const { skipped } = await request.mailwright.history.cancel([id], reason ? { reason } : {});
  const why = skipped[0]?.reason;
  return { kind: 'redirect', location: request.href(`history/${encodeURIComponent(id)}`, why === undefined ? { done: 'cancelled' } : { skipped: why }) };
};
