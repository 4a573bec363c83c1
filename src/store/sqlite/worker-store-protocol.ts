import type { ErrorCode } from '../../errors/error-codes.js';
import type { FailureDetail } from '../../errors/failure-detail.js';
import type { Store } from '../store.js';

/** The Store methods a store thread answers. */
export type StoreMethod = Exclude<{ [K in keyof Store]: Store[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof Store], undefined>;

/** One call to the store thread. */
export interface StoreCall {
  id: number;
  method: StoreMethod;
  args: unknown[];
  /** The caller's clock reading (epoch ms) for timestamps the store sets itself. */
  nowMs: number;
}

/** A thrown error, as it crosses the thread boundary. */
export type StoreCallError =
  | { mailwright: true; code: ErrorCode; message: string; permanent: boolean; fix: string | undefined; details: Record<string, unknown>; failure: FailureDetail | undefined }
  | { mailwright: false; message: string };

/** The answer to one {@link StoreCall}. */
export type StoreReply = { id: number; result: unknown; error?: undefined } | { id: number; error: StoreCallError };
