import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { runQuickstart } from '../../examples/quickstart-demo.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

describe('npm run quickstart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-quickstart-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('sends, refuses one with 550 5.7.1, exports one .eml, distributes a throttled batch, and prints the history with explanation and fix', async () => {
    const lines: string[] = [];
    const result = await runQuickstart(dir, (line) => lines.push(line));

    expect(result.history.map((r) => [r.subject, r.status])).toEqual([
      ['Welcome to Contoso', 'sent'],
      ['Invoice 1042', 'sent'],
      ['Case 77 forwarded', 'failed'],
      ['Draft: price request', 'exported'],
      ['Your November statement', 'sent'],
      ['Your November statement', 'sent'],
      ['Your November statement', 'deferred'],
    ]);
    // 4 a minute: the two interactive sends and two statements; the third waits for a slot.
    expect(result.distributed).toMatchObject({ sent: 2, deferred: 1, failed: 0 });
    const statements = result.history.slice(4);
    expect(statements.map((r) => [r.mode, r.from, r.recipients[0]?.address])).toEqual([
      ['batch', 'noreply@contoso.com', 'north@example.com'],
      ['batch', 'noreply@contoso.com', 'south@example.com'],
      ['batch', 'noreply@contoso.com', 'west@example.com'],
    ]);
    expect(result.table).toContain('Deferred once by the per-minute limit');
    expect(lines).toContain('Queued 3 statements; queuing the first again with its key returned its id and added nothing');
    const refused = result.history[2];
    expect(refused?.failure).toMatchObject({ code: 'MW_SEND_AS_DENIED', smtpCode: 550, enhancedCode: '5.7.1', permanent: true });
    expect(result.table).toContain('MW_SEND_AS_DENIED');
    expect(refused?.failure?.fix).toMatch(/^Grant the authenticated mailbox Send As/);
    expect(result.table).toContain('Fix: Grant the');

    const eml = await simpleParser(await readFile(result.emlFile as string));
    expect(eml.headers.get('x-unsent')).toBe('1');
    expect(eml.subject).toBe('Draft: price request');

    // The history is in a real SQLite file that outlives the run.
    const store = createSqliteStore({ filename: result.databaseFile });
    await store.migrate();
    expect((await store.listEmails({})).items).toHaveLength(7);
    await store.close();
  });
});
