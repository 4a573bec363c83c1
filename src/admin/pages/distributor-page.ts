import { DISTRIBUTOR_LAST_RUN_KEY, type DistributorLastRun } from '../../queue/last-run.js';
import type { AdminPage } from '../admin-request.js';
import { html } from '../html.js';
import { notice } from '../layout.js';

/** GET distributor: queue depth, deferred and forced counts, the batch provider and its limit, the last run. */
export const distributorPage: AdminPage = async (request) => {
  const { mailwright } = request;
  const [counts, params, effective, lastRun, due] = await Promise.all([
    mailwright.history.counts(),
    mailwright.parameters.get().catch(() => undefined),
    mailwright.parameters.effective().catch(() => undefined),
    mailwright.store.getSetting<DistributorLastRun>(DISTRIBUTOR_LAST_RUN_KEY),
    mailwright.store.countDue(mailwright.clock.now().toMillis()),
  ]);
  const batch = params?.batchProviderId ?? null;
  const limit = batch === null ? undefined : effective?.perMinuteLimits[batch];
  const figures: [string, number][] = [
    ['Waiting (queued)', counts.byStatus.queued],
    ['Deferred by the limit', counts.byStatus.deferred],
    ['Being sent', counts.byStatus.sending],
    ['Due now', due],
    ['Sent over the limit (forced)', counts.forced],
    ['Failed', counts.byStatus.failed],
  ];
  const run = lastRun
    ? html`<dl class="facts"><dt>Started</dt><dd>${lastRun.startedAt}</dd><dt>Ended</dt><dd>${lastRun.finishedAt}</dd><dt>Worker</dt><dd>${lastRun.workerId}</dd>
${lastRun.summary ? html`<dt>Result</dt><dd>${`due ${lastRun.summary.due}, sent ${lastRun.summary.sent}, deferred ${lastRun.summary.deferred}, retrying ${lastRun.summary.retried}, failed ${lastRun.summary.failed}, forced ${lastRun.summary.forced}`}</dd>` : ''}
${lastRun.error ? html`<dt>Failed</dt><dd>${lastRun.error.code ? html`<code>${lastRun.error.code}</code> ` : ''}${lastRun.error.message}</dd>` : ''}</dl>`
    : html`<p class="muted">The distributor has not run on this store yet.</p>`;
  const body = html`
${batch === null ? notice('bad', 'No batch provider is set: queued email waits. Set one in the email parameters.') : ''}
<ul class="counts" aria-label="Queue">${figures.map(([label, n]) => html`<li><span><strong>${n}</strong>${label}</span></li>`)}</ul>
<section aria-labelledby="batch"><h2 id="batch">Batch provider</h2>
<dl class="facts"><dt>Provider</dt><dd>${batch ?? 'none'}</dd><dt>Per-minute limit in force</dt><dd>${limit === undefined ? '' : limit === 0 ? 'no limit' : `${limit} a minute`}</dd><dt>Maximum deferrals</dt><dd>${params?.maxDeferrals ?? ''}</dd><dt>Maximum attempts</dt><dd>${params?.maxAttempts ?? ''}</dd></dl></section>
<section aria-labelledby="last-run"><h2 id="last-run">Last run</h2>${run}</section>`;
  return { kind: 'page', title: 'Distributor', section: 'distributor', body };
};
