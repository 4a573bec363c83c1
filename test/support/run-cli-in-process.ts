import type { CliIo } from '../../src/cli/cli-io.js';
import { registerDistributeCommand } from '../../src/cli/commands/distribute-command.js';
import { runCli } from '../../src/cli/program.js';

/** How {@link runCliInProcess} presents itself to the CLI. */
export interface InProcessTerminal {
  /** A terminal (progress bar) or a pipe (a line per email). */
  isTTY: boolean;
  /** Terminal width. @default 160 */
  columns?: number;
  /** The environment the CLI sees. */
  env: Record<string, string | undefined>;
}

/**
 * Runs the `mailwright` command line in-process, as main.ts does, and captures what it
 * writes. As processIo, a line ends with one newline whether or not the text brought its
 * own; on a "terminal", each progress redraw is recorded as `\r` + text.
 */
export async function runCliInProcess(argv: string[], { isTTY, columns = 160, env }: InProcessTerminal): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`),
    progress: (t) => (out += `\r${t}`),
    isTTY,
    columns,
    env,
  };
  const code = await runCli(argv, io, [registerDistributeCommand]);
  return { code, out, err };
}
