import type { Attributes, Counter, Histogram, ObservableResult } from '@opentelemetry/api';
import { PACKAGE_VERSION } from '../cli/package-version.js';
import type { Logger } from '../logger.js';
import type { AttemptOutcome } from '../send/deliver-attempt.js';
import { noTelemetry, type AttemptInfo, type AttemptSpan, type CountedOutcome, type SendTelemetry } from './send-telemetry.js';

type OpenTelemetryApi = typeof import('@opentelemetry/api');

/** The instrumentation scope of mailwright's tracer and meter. */
const SCOPE = 'mailwright';

/** Attribute names of spans and metrics. */
const ATTR = {
  emailId: 'mailwright.email.id',
  provider: 'mailwright.provider.id',
  mode: 'mailwright.send.mode',
  attempt: 'mailwright.attempt',
  outcome: 'mailwright.outcome',
  code: 'mailwright.failure.code',
  permanent: 'mailwright.failure.permanent',
} as const;

/** What the telemetry reads besides the attempts. */
export interface TelemetrySources {
  /** Emails not finished: queued, deferred or being sent (the queue depth gauge). */
  queueDepth(): Promise<number>;
  /** Where a failed queue depth reading is logged. */
  logger: Logger;
}

/**
 * OpenTelemetry traces and metrics through `@opentelemetry/api`, an optional peer
 * dependency: without it installed, no telemetry (and nothing loaded); with it but no SDK
 * registered, its no-op tracer and meter. Tracing follows an SDK registered later; the meter
 * is taken now, so an SDK's meter provider must be registered before `createMailwright()`.
 */
export async function loadOpenTelemetry(sources: TelemetrySources): Promise<SendTelemetry> {
  let api: OpenTelemetryApi;
  try {
    api = await import('@opentelemetry/api');
  } catch (error) {
    if (isMissing(error, '@opentelemetry/api')) return noTelemetry;
    throw error;
  }
  return openTelemetry(api, sources);
}

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(name);
}

function openTelemetry(api: OpenTelemetryApi, sources: TelemetrySources): SendTelemetry {
  const tracer = api.trace.getTracer(SCOPE, PACKAGE_VERSION);
  const meter = api.metrics.getMeter(SCOPE, PACKAGE_VERSION);
  const counter = (name: CountedOutcome, description: string): Counter => meter.createCounter(`mailwright.email.${name}`, { unit: '{email}', description });
  const counters: Record<CountedOutcome, Counter> = {
    sent: counter('sent', 'Emails sent (or exported), forced sends included'),
    failed: counter('failed', 'Emails failed for good'),
    retried: counter('retried', 'Send attempts that failed transiently; the email is tried again'),
    deferred: counter('deferred', 'Emails deferred by the per-minute limit'),
    forced: counter('forced', 'Emails sent over the per-minute limit after the maximum deferrals'),
  };
  const duration: Histogram = meter.createHistogram('mailwright.send.duration', {
    unit: 's',
    description: 'Duration of one send attempt: the provider call',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60] },
  });
  const depth = meter.createObservableGauge('mailwright.queue.depth', { unit: '{email}', description: 'Emails not finished: queued, deferred or being sent' });
  const observeDepth = async (result: ObservableResult): Promise<void> => {
    try {
      result.observe(await sources.queueDepth());
    } catch (error) {
      sources.logger.warn({ err: error }, 'could not read the queue depth for the mailwright.queue.depth metric');
    }
  };
  depth.addCallback(observeDepth);

  return {
    startAttempt(info: AttemptInfo, startMs: number): AttemptSpan {
      const span = tracer.startSpan('mailwright.send', {
        kind: api.SpanKind.CLIENT,
        startTime: startMs,
        attributes: { [ATTR.emailId]: info.emailId, [ATTR.provider]: info.providerId, [ATTR.mode]: info.mode, [ATTR.attempt]: info.attempt },
      });
      const active = api.trace.setSpan(api.context.active(), span);
      return {
        run: (send) => api.context.with(active, send),
        end(outcome: AttemptOutcome, endMs: number) {
          const attributes: Attributes = outcome.ok
            ? { [ATTR.outcome]: outcome.receipt.status }
            : { [ATTR.outcome]: 'failed', [ATTR.code]: outcome.failure.code, [ATTR.permanent]: outcome.failure.permanent, 'error.type': outcome.failure.code };
          span.setAttributes(attributes);
          if (!outcome.ok) span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome.failure.message });
          span.end(endMs);
          duration.record(Math.max(0, endMs - startMs) / 1000, { [ATTR.provider]: info.providerId, [ATTR.mode]: info.mode, [ATTR.outcome]: attributes[ATTR.outcome] });
        },
      };
    },
    count(outcome, { providerId, mode, code }) {
      counters[outcome].add(1, { [ATTR.provider]: providerId, [ATTR.mode]: mode, ...(code !== undefined ? { [ATTR.code]: code } : {}) });
    },
    close: () => depth.removeCallback(observeDepth),
  };
}
