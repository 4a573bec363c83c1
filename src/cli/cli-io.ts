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

/**
 * A stream that stops being written to once its reader has gone (EPIPE, e.g.
 * `mailwright history | head`): the command still finishes its work (a
 * distributor its sends in flight) instead of dying on an unhandled error.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The process's own stdout/stderr. */
export function processIo(): CliIo {
  const stdout = writer(process.stdout);
  const stderr = writer(process.stderr);
  return {
    out: (text) => stdout(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => stderr(text.endsWith('\n') ? text : `${text}\n`),
    progress: (text) => stdout(`\r\x1b[2K${text}`),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 120,
    env: process.env,
  };
}
