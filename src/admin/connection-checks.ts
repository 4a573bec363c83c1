import type { Provider } from '../providers/provider.js';

/** One line of a connection check, as the console shows it. */
export interface CheckLine {
  /** What was checked. */
  label: string;
  /** Passed, failed, or not said. */
  ok: boolean | undefined;
  /** What was found. */
  message?: string;
  /** The failure's code, e.g. MW_AUTH_FAILED. */
  code?: string;
  /** What to do. */
  fix?: string;
}

/** A provider that can check its connection without sending (`Provider.verifyConnection()`, when it has one). */
type Verifiable = Provider & { verifyConnection(): Promise<unknown> };

/** Does the provider check its connection itself? (Feature-detected: providers may not have it.) */
export const canVerify = (provider: Provider): provider is Verifiable => typeof (provider as Partial<Verifiable>).verifyConnection === 'function';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const PASSED = new Set(['ok', 'pass', 'passed', 'success', 'succeeded']);
const FAILED = new Set(['fail', 'failed', 'error', 'failure']);

/**
 * The checks a `verifyConnection()` answered, read defensively (a list of checks, or an
 * object with `checks`; each with a name, whether it passed, a message, a code and a fix):
 * the console shows what a provider reports, whatever its exact form.
 */
export function checkLines(result: unknown): CheckLine[] {
  const list: unknown[] = Array.isArray(result) ? result : Array.isArray((result as { checks?: unknown })?.checks) ? (result as { checks: unknown[] }).checks : [result];
  return list.map((item) => {
    const check = (typeof item === 'object' && item !== null ? item : { message: String(item) }) as Record<string, unknown>;
    const status = typeof check.status === 'string' ? check.status.toLowerCase() : undefined;
    const ok = typeof check.ok === 'boolean' ? check.ok : typeof check.passed === 'boolean' ? check.passed : status && PASSED.has(status) ? true : status && FAILED.has(status) ? false : undefined;
    const message = text(check.message) ?? text(check.detail) ?? text(check.explanation);
    const code = text(check.code);
    const fix = text(check.fix);
    return { label: text(check.name) ?? text(check.title) ?? text(check.check) ?? code ?? 'Check', ok, ...(message ? { message } : {}), ...(code ? { code } : {}), ...(fix ? { fix } : {}) };
  });
}
