/** The structured fields of a log entry (never a password or a token). */
export type LogFields = Record<string, unknown>;

/**
 * A structured logger, called as pino and bunyan loggers are: `logger.info(fields, message)`.
 * A pino or bunyan instance (or a child of one) can be passed as it is; another logger needs a
 * four-line adapter (docs/observability.md). An error is given in the `err` field.
 * Never given a password or a token.
 */
export interface Logger {
  /** Logs a debug entry: its fields, then its message. */
  debug(fields: LogFields, message: string): void;
  /** Logs an informational entry: its fields, then its message. */
  info(fields: LogFields, message: string): void;
  /** Logs a warning: its fields, then its message. */
  warn(fields: LogFields, message: string): void;
  /** Logs an error: its fields, then its message. */
  error(fields: LogFields, message: string): void;
}

/** A logger that drops everything. The default. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
