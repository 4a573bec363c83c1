/** Exit codes of the `mailwright` command. Stable: scripts may rely on them. */
export const ExitCodes = {
  /** Everything worked. */
  OK: 0,
  /** The command ran, but an email failed (test email refused, distribute saw failures). */
  EMAIL_FAILED: 1,
  /** Bad usage or bad input (unknown option, invalid address or setting). */
  USAGE: 2,
  /** Configuration problem (no provider, unreadable secret, config file error). */
  CONFIG: 3,
} as const;

/** One of {@link ExitCodes}. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
