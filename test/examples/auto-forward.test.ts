import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAutoForwardDemo } from '../../examples/auto-forward-demo.js';

describe('examples/auto-forward.ts', () => {
  it('forwards the invoice to the partner, records the redirect to a blocked domain as blocked, and audits both rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mw-auto-forward-demo-'));
    const lines: string[] = [];
    const result = await runAutoForwardDemo(dir, (line) => lines.push(line));
    expect(result.accepted).toBe(1);
    expect(result.inbound.deliverToMailbox).toBe(true);
    expect(result.history.map((r) => [r.status, r.recipients.map((x) => x.address)])).toEqual([
      ['sent', ['desk@partner.example']],
      ['blocked', ['someone.personal@gmail.example']],
    ]);
    expect(result.history[1]!.blockedReason).toBe('Automatic forwarding to gmail.example is not allowed: remote domain "*" has auto-forward disabled');
    expect(lines).toContain('Distributor: sent 1');
    expect(result.audit).toEqual([
      'support@contoso.com [policy] rule "Invoices to the partner" (forward) -> desk@partner.example',
      'support@contoso.com [policy] rule "Everything to my phone" (redirect) -> someone.personal@gmail.example [BLOCKED by remote domain]',
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});
