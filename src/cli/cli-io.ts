/** Where the CLI writes: injectable so commands are testable in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Rewrites the current terminal line (progress bar); only used when isTTY. */
  progress(text: string): void;
  /** Whether stdout is an interactive terminal (progress bar vs plain lines). */
  isTTY: boolean;
  /** Terminal width. */
  columns: number;
  env: NodeJS.ProcessEnv;
}

/** The process's own stdout/stderr. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    progress: (text) => process.stdout.write(`\r\x1b[2K${text}`),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 120,
    env: process.env,
  };
}
