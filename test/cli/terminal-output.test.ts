import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import { terminalSafe } from '../../src/cli/terminal-safe.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { newRecord, sendAsDenied } from '../store/support/email-fixtures.js';

/** What a terminal acts on: C0 controls but tab, LF and the CR of a CRLF line ending; DEL, C1 controls (8-bit CSI, OSC…), and bidirectional overrides. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

// An inbound subject and sender name as an attacker writes them: set the window title, clear the screen,
// a hyperlink hiding its target, an 8-bit CSI colour, a carriage return overwriting the line, a right-to-left override.
const SUBJECT = 'Invoice \x1b]0;pwned\x07\x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x1b\\ \u009b31mred\rOK \u202eexe.pdf';
const FROM = 'Evil\x1b[31m\x07 <evil@example.com>';

describe('CLI output never carries terminal control sequences from stored text', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cli-terminal-'));
    db = join(dir, 'cli.db');
    const store = createSqliteStore({ filename: db });
    await store.migrate();
    await store.insertEmail(
      newRecord({
        status: 'failed',
        subject: SUBJECT,
        from: FROM,
        failure: { ...sendAsDenied, message: `550 \x1b]0;title\x07 refused`, serverResponse: `550 5.7.1 \x1b[5mblink\u009b0m` },
      }),
    );
    await store.close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), progress: (t) => (out += t), isTTY: false, columns: 200, env: {} };
    const code = await runCli(['--db', db, ...argv], io);
    return { code, out, err };
  }

  it('history (table): control characters are shown as \\u escapes, not sent to the terminal', async () => {
    const { out } = await cli('history');
    expect(out).not.toMatch(TERMINAL_CONTROL);
    expect(out).toContain('\\u001b]0;pwned\\u0007');
    expect(out).toContain('\\u009b31mred');
    expect(out).toContain('\\u202eexe.pdf');
    expect(out).toContain('Evil\\u001b[31m');
    expect(out).toContain('\\u001b[5mblink');
  });

  it('history --json: the JSON carries no control character and still reads back exactly', async () => {
    const { out } = await cli('history', '--json');
    expect(out).not.toMatch(TERMINAL_CONTROL);
    const [item] = JSON.parse(out) as { subject: string; from: string }[];
    expect(item).toMatchObject({ subject: SUBJECT, from: FROM });
  });

  it('error output quoting what it was given is made safe too', async () => {
    const { err } = await cli(`hist\x1b[2Jory\x1b]0;x\x07`);
    expect(err).toContain('hist\\u001b[2Jory');
    expect(err).not.toMatch(TERMINAL_CONTROL);
  });

  it('the mailwright process writes no control character to stdout', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'), '--db', db, 'history'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(stdout).toContain('Invoice');
    expect(stdout).not.toMatch(TERMINAL_CONTROL);
  });

  it('terminalSafe leaves no control character in any text, and changes text without one not at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const safe = terminalSafe(text);
        expect(safe).not.toMatch(TERMINAL_CONTROL);
        if (!TERMINAL_CONTROL.test(text)) expect(safe).toBe(text);
      }),
    );
  });

  it('keeps CRLF line endings (a CSV export) and escapes a CR that would overwrite the line', () => {
    expect(terminalSafe('id,subject\r\n1,"Paid\rFAKE"\r\n')).toBe('id,subject\r\n1,"Paid\\u000dFAKE"\r\n');
  });
});
