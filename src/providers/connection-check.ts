import { ErrorCodes, type ErrorCode } from '../errors/error-codes.js';
import { isMailwrightError } from '../errors/mailwright-error.js';
import type { Provider } from './provider.js';

/** How one check came out: fine, fine but a feature will not work, or sending will fail. */
export type ConnectionCheckStatus = 'ok' | 'warning' | 'problem';

/** One step of a provider's connection check, e.g. "connect", "tls", "auth", "token", "permissions". */
export interface ConnectionCheck {
  /** Stable name of the step, e.g. `auth`. */
  name: string;
  /** How it came out. */
  status: ConnectionCheckStatus;
  /** What was found, for an administrator. */
  message: string;
  /** The error code of a warning or problem (from the failure catalogue). */
  code?: ErrorCode;
  /** What to do about a warning or problem. */
  fix?: string;
}

/** What `Provider.verifyConnection()` found. No email is sent to find it. */
export interface ConnectionCheckResult {
  /** The provider checked. */
  providerId: string;
  /** `true` when no check is a `problem`. */
  ok: boolean;
  /** Every step, in order; a step that could not run after a problem is left out. */
  checks: ConnectionCheck[];
}

/** Options of `Provider.verifyConnection()`. */
export interface VerifyConnectionOptions {
  /**
   * A From address to check the provider may send as (besides its own mailbox): SMTP probes it
   * with MAIL FROM; Exchange says whether Send As can be checked.
   * @default the provider's mailbox
   */
  from?: string;
}

/** A check that failed with an error: a problem with the error's code and fix. */
export function problemFrom(name: string, error: unknown): ConnectionCheck {
  if (isMailwrightError(error)) return { name, status: 'problem', message: error.message, code: error.code, ...(error.fix !== undefined ? { fix: error.fix } : {}) };
  return { name, status: 'problem', message: error instanceof Error ? error.message : String(error) };
}

/** The result of a list of checks. */
export function connectionResult(providerId: string, checks: ConnectionCheck[]): ConnectionCheckResult {
  return { providerId, ok: checks.every((c) => c.status !== 'problem'), checks };
}

/** A provider's own check, or one warning that it has none; an unexpected throw is a problem, not a throw. */
export async function verifyProviderConnection(provider: Provider, options?: VerifyConnectionOptions): Promise<ConnectionCheckResult> {
  if (provider.verifyConnection === undefined) {
    return connectionResult(provider.id, [{ name: 'check', status: 'warning', message: `The provider "${provider.id}" (${provider.kind}) has no connection check.`, code: ErrorCodes.PROVIDER_NOT_CONFIGURED, fix: 'Send a test email to check it.' }]);
  }
  try {
    return await provider.verifyConnection(options);
  } catch (error) {
    return connectionResult(provider.id, [problemFrom('check', error)]);
  }
}
