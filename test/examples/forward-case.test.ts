import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatJournalEntry, runForwardCaseDemo } from '../../examples/forward-case-demo.js';

describe('examples/forward-case.ts', () => {
  it('forwards a case to a local SMTP server, then fails the unauthorized agent, and prints the journal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mw-forward-demo-'));
    const lines: string[] = [];
    const result = await runForwardCaseDemo(dir, (line) => lines.push(line));
    expect(result.accepted).toBe(1);
    expect(result.journal.map((e) => e.kind)).toEqual(['note', 'timeline', 'error']);
    const printed = result.journal.map(formatJournalEntry).join('\n');
    expect(printed).toContain('FORWARDED TO Vendor Support <support@vendor.example>');
    expect(printed).toContain('Please send a technician today.');
    expect(printed).toContain('MW_SEND_AS_DENIED, will not be retried');
    expect(printed).toContain('550 5.7.1 Client does not have permissions to send as this sender');
    expect(printed).toContain('Fix: Grant the authenticated mailbox Send As');
    expect(printed).toContain('From: Bob Stone <Bob.Stone@contoso.com>');
    expect(lines.some((l) => l.startsWith("Bob's forward failed: MW_SEND_AS_DENIED (permanent)"))).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });
});
