/** Minimal structured logger. Never given a password or a token. */
export interface Logger {
  /** Logs a debug message, with optional structured fields. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Logs an informational message, with optional structured fields. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Logs a warning, with optional structured fields. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Logs an error, with optional structured fields. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything. The default. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
