import type { AdminPage } from '../admin-request.js';
import { html } from '../html.js';

const SOURCES: Record<string, string> = { 'forwarding-smtp-address': 'Mailbox forwarding (SMTP address)', 'forwarding-contact': 'Mailbox forwarding (contact)' };

/** GET forwarding: every mailbox setting and inbox rule that forwards outside the organization (`?internal=1`: inside too). */
export const forwardingPage: AdminPage = async (request) => {
  const includeInternal = request.query.get('internal') === '1';
  const entries = await request.mailwright.auditForwarding({ includeInternal });
  const rows = entries.map(
    (e) => html`<tr><td>${e.mailbox}</td><td>${e.origin}</td><td>${e.source.kind === 'inbox-rule' ? `Inbox rule "${e.source.rule}"${e.enabled ? '' : ' (disabled)'}` : SOURCES[e.source.kind]}</td><td>${e.style}</td>
<td>${e.targets.map((t) => html`${t.address}${t.external ? '' : ' (internal)'}${t.allowed ? '' : html` <strong>blocked by its remote domain</strong>`}<br>`)}</td>
<td>${[e.deliverToMailboxAndForward === true ? 'keeps a copy' : e.deliverToMailboxAndForward === false ? 'keeps no copy' : '', e.problem ?? '', e.unsupported ? `also: ${e.unsupported.join(', ')}` : ''].filter(Boolean).join('; ')}</td></tr>`,
  );
  const body = html`<p><a href="${request.href('forwarding', includeInternal ? {} : { internal: '1' })}">${includeInternal ? 'Only forwards outside the organization' : 'Include forwards inside the organization'}</a></p>
<table><caption>${includeInternal ? 'Every forward' : 'Forwards outside the organization'}</caption><thead><tr><th scope="col">Mailbox</th><th scope="col">Origin</th><th scope="col">What</th><th scope="col">How</th><th scope="col">To</th><th scope="col">Notes</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="6">Nothing forwards${includeInternal ? '' : ' outside the organization'}.</td></tr>`}</tbody></table>`;
  return { kind: 'page', title: 'Forwarding audit', section: 'forwarding', body };
};
