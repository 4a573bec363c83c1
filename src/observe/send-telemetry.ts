import type { SendMode } from '../providers/provider.js';
import type { AttemptOutcome } from '../send/deliver-attempt.js';

/** The attempt a span and its latency are about. */
export interface AttemptInfo {
  emailId: string;
  providerId: string;
  /** 1 for the first attempt. */
  attempt: number;
  mode: SendMode;
}

/** Outcomes that the email counters count. */
export type CountedOutcome = 'sent' | 'failed' | 'retried' | 'deferred' | 'forced';

/** The span of one send attempt (a no-op without telemetry). */
export interface AttemptSpan {
  /** Runs the provider call with this span active, so that spans it makes nest under it. */
  run<T>(send: () => Promise<T>): Promise<T>;
  /** Ends the span with the attempt's outcome and records the attempt's latency. */
  end(outcome: AttemptOutcome, endMs: number): void;
}

/**
 * Traces and metrics of sending, kept free of OpenTelemetry's types so that mailwright's
 * own declarations never need `@opentelemetry/api` (an optional peer dependency).
 */
export interface SendTelemetry {
  /** Starts the span of one attempt at `startMs` (epoch ms, from the injected clock). */
  startAttempt(info: AttemptInfo, startMs: number): AttemptSpan;
  /** Counts one email's outcome. */
  count(outcome: CountedOutcome, attributes: { providerId: string; mode: SendMode; code?: string }): void;
  /** Stops observing (the queue depth gauge reads the store, which is closing). */
  close(): void;
}

const NO_SPAN: AttemptSpan = { run: (send) => send(), end: () => undefined };

/** Telemetry that records nothing, without allocating: `@opentelemetry/api` is not installed. */
export const noTelemetry: SendTelemetry = {
  startAttempt: () => NO_SPAN,
  count: () => undefined,
  close: () => undefined,
};
