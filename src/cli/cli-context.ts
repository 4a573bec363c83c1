import type { Mailwright } from '../mailwright.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';

/** Shared by every command: output, the opened instance, the exit code. */
export interface CliContext {
  io: CliIo;
  /**
   * Opens (once) the mailwright instance described by the global options. The database must
   * exist (MW_DATABASE_NOT_FOUND) unless `create`: only commands that save settings create one.
   */
  open(options?: { create?: boolean }): Promise<Mailwright>;
  /** Sets the process exit code (the worst one wins). */
  exit(code: ExitCode): void;
}
