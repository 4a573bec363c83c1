import type { ErrorCode } from './error-codes.js';
import type { FailureCategory } from './failure-detail.js';
import type { RawFailure } from './raw-failure.js';

/** One entry of the failure catalogue. */
export interface CatalogueEntry {
  /** The stable error code this entry explains. */
  code: ErrorCode;
  /** Broad family of the failure, for filtering and dashboards. */
  category: FailureCategory;
  /** Short title, used as the heading in docs/troubleshooting.md. */
  title: string;
  /** Plain-language explanation of what went wrong. */
  explanation: string;
  /** What to do about it. */
  fix: string;
  /** `true` when retrying the same email cannot succeed. */
  permanent: boolean;
  /** Typical server replies or errors, for the docs and tests. */
  examples: string[];
  /** Recognizes a raw failure; absent for input errors (known by code only). */
  match?: (raw: NormalizedFailure) => boolean;
}

/** A raw failure with the derived facts matchers use. */
export interface NormalizedFailure extends RawFailure {
  /** Enhanced status code, given or parsed from the reply. */
  enhanced?: string;
  /** Reply + message + service code, for text matching. */
  text: string;
}

/** Matches when the enhanced code is one of `codes`. */
export const enhancedIn =
  (...codes: string[]) =>
  (raw: NormalizedFailure): boolean =>
    raw.enhanced !== undefined && codes.includes(raw.enhanced);

/** Matches when the text matches `pattern`. */
export const textMatches =
  (pattern: RegExp) =>
  (raw: NormalizedFailure): boolean =>
    pattern.test(raw.text);

/** Matches when the service code (Graph or AADSTS) is one of `codes` (case-insensitive). */
export const serviceCodeIn =
  (...codes: string[]) =>
  (raw: NormalizedFailure): boolean =>
    raw.serviceCode !== undefined && codes.some((c) => c.toLowerCase() === raw.serviceCode?.toLowerCase());

/** Matches when the system error code is one of `codes`. */
export const errnoIn =
  (...codes: string[]) =>
  (raw: NormalizedFailure): boolean =>
    raw.errno !== undefined && codes.includes(raw.errno);

/** Any of the matchers. */
export const anyOf =
  (...matchers: ((raw: NormalizedFailure) => boolean)[]) =>
  (raw: NormalizedFailure): boolean =>
    matchers.some((m) => m(raw));
