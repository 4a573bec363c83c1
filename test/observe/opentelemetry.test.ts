import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, metrics, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import type { Provider } from '../../src/providers/provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import type { DistributionSummary } from '../../src/queue/distributor-run.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

/** The context manager an SDK registers (NodeSDK uses AsyncLocalStorage too), so that the active span follows awaits. */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = (): Context => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind = <T>(_ctx: Context, target: T): T => target;
  enable = (): this => this;
  disable = (): this => {
    this.storage.disable();
    return this;
  };
}

const T0 = '2026-11-24T10:00:00.000Z';

describe('OpenTelemetry: a span per send attempt and the email metrics (SDK in-memory exporters, real SMTP server, SQLite file)', () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const clock = new ManualClock(T0);
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;

  /** A provider that calls a (pretend) HTTP API, traced by the host's own instrumentation. */
  const traced: Provider = {
    id: 'api',
    kind: 'api',
    displayName: 'API',
    interactive: true,
    batch: true,
    microsoft365: false,
    send: (message) =>
      trace.getTracer('host-http').startActiveSpan('POST /send', async (span) => {
        span.end();
        return { status: 'sent' as const, messageId: message.messageId, recipients: message.to.map((a) => ({ address: a.address, status: 'accepted' as const })) };
      }),
  };

  beforeAll(async () => {
    // As a host does before createMailwright(): the SDK's providers and its context manager.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    dir = await mkdtemp(join(tmpdir(), 'mw-otel-'));
    server = await startSmtpTestServer({
      starttls: false,
      rules: [
        { from: 'bob@contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' },
        { from: 'flaky@contoso.com', code: 451, message: '4.3.0 Temporary server error, try again', times: 1 },
      ],
    });
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } }), traced],
      users: new InMemoryUserDirectory([
        { id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } },
        { id: 'bob', email: 'bob@contoso.com', options: { providerId: 'smtp' } },
      ]),
      clock,
    });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    trace.disable();
    metrics.disable();
    context.disable();
    await rm(dir, { recursive: true, force: true });
  });

  /** The data points of one metric at the last collection. */
  async function collect(name: string): Promise<DataPoint<number | Histogram>[]> {
    metricExporter.reset();
    await reader.forceFlush();
    const found = metricExporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics)
      .filter((s) => s.scope.name === 'mailwright')
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name === name);
    return found.flatMap((m) => m.dataPoints as DataPoint<number | Histogram>[]);
  }
  const total = async (name: string, attributes: Record<string, unknown> = {}): Promise<number> =>
    (await collect(name)).filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v)).reduce((sum, p) => sum + (p.value as number), 0);

  it('an interactive send and a refused one: one span each, with provider, outcome, code and attempt', async () => {
    spans.reset();
    const { emailId } = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Now', text: 'x' }, 'ana'));
    const refused = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Refused', text: 'x' }, 'bob')).catch((e: { details: { emailId: string } }) => e.details.emailId);

    const [ok, failed] = spans.getFinishedSpans().filter((s) => s.instrumentationScope.name === 'mailwright');
    expect(ok).toMatchObject({
      name: 'mailwright.send',
      status: { code: SpanStatusCode.UNSET },
      attributes: { 'mailwright.email.id': emailId, 'mailwright.provider.id': 'smtp', 'mailwright.send.mode': 'interactive', 'mailwright.attempt': 1, 'mailwright.outcome': 'sent' },
    });
    expect(ok!.attributes['mailwright.failure.code']).toBeUndefined();
    // Times come from the injected clock.
    expect(ok!.startTime).toEqual([Date.parse(T0) / 1000, 0]);
    expect(failed).toMatchObject({
      name: 'mailwright.send',
      status: { code: SpanStatusCode.ERROR, message: expect.stringContaining('5.7.1') },
      attributes: {
        'mailwright.email.id': refused,
        'mailwright.provider.id': 'smtp',
        'mailwright.attempt': 1,
        'mailwright.outcome': 'failed',
        'mailwright.failure.code': 'MW_SEND_AS_DENIED',
        'mailwright.failure.permanent': true,
        'error.type': 'MW_SEND_AS_DENIED',
      },
    });
    expect(await total('mailwright.email.sent', { 'mailwright.send.mode': 'interactive' })).toBe(1);
    expect(await total('mailwright.email.failed', { 'mailwright.failure.code': 'MW_SEND_AS_DENIED' })).toBe(1);
  });

  it("a provider's own spans nest under the attempt's span", async () => {
    spans.reset();
    await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Through the API', text: 'x' }, 'ana'), { provider: 'api' });
    const finished = spans.getFinishedSpans();
    const attempt = finished.find((s) => s.name === 'mailwright.send')!;
    const http = finished.find((s) => s.name === 'POST /send')!;
    expect(attempt.attributes['mailwright.provider.id']).toBe('api');
    expect(http.parentSpanContext?.spanId).toBe(attempt.spanContext().spanId);
  });

  it('the distributor: counters of sent, forced, deferred and retried email, the attempt latency, and the queue depth', async () => {
    spans.reset();
    clock.advance({ minutes: 2 }); // the interactive sends above are out of the throttle window
    await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 1 }, maxDeferrals: 0 });
    const runs: DistributionSummary[] = [];
    // One a minute: the first is sent, the second is over the limit with no deferral allowed (forced).
    await mailwright.enqueueMany([0, 1].map((i) => ({ message: { from: 'ana@contoso.com', to: `f${i}@example.com`, subject: `f${i}`, text: 'x' } })));
    runs.push(await mailwright.distributor.runOnce());
    // Deferrals allowed: the next one waits for a slot.
    await mailwright.parameters.update({ maxDeferrals: 10 });
    await mailwright.enqueue({ from: 'ana@contoso.com', to: 'd@example.com', subject: 'deferred', text: 'x' });
    runs.push(await mailwright.distributor.runOnce());
    // A transient refusal: retried.
    await mailwright.parameters.update({ perMinuteLimits: { smtp: 0 } });
    await mailwright.enqueue({ from: 'flaky@contoso.com', to: 'r@example.com', subject: 'retried', text: 'x' });
    clock.advance({ minutes: 2 });
    runs.push(await mailwright.distributor.runOnce());
    // Not due yet: in the queue depth, not sent.
    await mailwright.enqueue({ from: 'ana@contoso.com', to: 'later@example.com', subject: 'later', text: 'x' }, { sendAfter: '2027-01-01T00:00:00Z' });

    const sum = (key: keyof DistributionSummary): number => runs.reduce((n, s) => n + s[key], 0);
    expect({ sent: sum('sent'), forced: sum('forced'), deferred: sum('deferred'), retried: sum('retried') }).toEqual({ sent: 3, forced: 1, deferred: 1, retried: 1 });
    const batch = { 'mailwright.send.mode': 'batch', 'mailwright.provider.id': 'smtp' };
    expect(await total('mailwright.email.sent', batch)).toBe(3);
    expect(await total('mailwright.email.forced', batch)).toBe(1);
    expect(await total('mailwright.email.deferred', batch)).toBe(1);
    expect(await total('mailwright.email.retried', { ...batch, 'mailwright.failure.code': 'MW_TRANSIENT_FAILURE' })).toBe(1);
    // The retried email waits for its next attempt, and the later one for its date.
    expect(await collect('mailwright.queue.depth')).toEqual([expect.objectContaining({ value: 2 })]);

    const attempts = spans.getFinishedSpans().filter((s) => s.name === 'mailwright.send');
    expect(attempts.map((s) => s.attributes['mailwright.outcome']).sort()).toEqual(['failed', 'sent', 'sent', 'sent']);
    const latency = (await collect('mailwright.send.duration')).filter((p) => p.attributes['mailwright.send.mode'] === 'batch');
    expect(latency.reduce((n, p) => n + (p.value as Histogram).count, 0)).toBe(attempts.length);
  });
});
