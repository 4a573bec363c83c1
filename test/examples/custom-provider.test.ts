import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { runCustomProviderDemo } from '../../examples/custom-provider-demo.js';
import { mailApiProvider } from '../../examples/mail-api-provider.js';
import { startDemoMailApi } from '../../examples/support/demo-mail-api.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { classifyFailure } from '../../src/errors/classify-failure.js';
import { deliveredFromMime } from '../providers/delivered-email.js';
import { providerConformance } from '../providers/provider-conformance.js';

describe('examples/custom-provider.ts: a provider of the host’s own, for an HTTP mail API', () => {
  it('sends one email, retries the one the API was too busy for after its Retry-After, and fails the one it refuses with the API’s reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mw-custom-provider-'));
    const lines: string[] = [];
    const { history, accepted, table } = await runCustomProviderDemo(dir, (line) => lines.push(line));
    expect(lines.slice(1)).toEqual(['First run: sent 1, retrying 1, failed 1', 'Five minutes later: sent 1, retrying 0, failed 0']);
    expect(history.map((e) => [e.recipients[0]?.address, e.status, e.attempts])).toEqual([
      ['customer@example.com', 'sent', 1],
      ['busy@example.com', 'sent', 2],
      ['nobody@example.com', 'failed', 1],
    ]);
    expect(history[1]?.attemptLog[0]?.failure).toMatchObject({ code: ErrorCodes.SERVICE_UNAVAILABLE, permanent: false, httpStatus: 503, retryAfterSeconds: 120 });
    expect(history[2]?.failure).toMatchObject({
      code: ErrorCodes.DELIVERY_FAILED,
      permanent: true,
      httpStatus: 400,
      serverResponse: 'Recipient address rejected: nobody@example.com is on the suppression list',
    });
    // Each attempt carries the email's stable Message-ID as the API's idempotency key.
    expect(accepted.map((m) => m.idempotencyKey)).toEqual([history[0]?.messageId, history[1]?.messageId]);
    expect((await simpleParser(accepted[0]!.mime)).subject).toBe('Statement for customer@example.com');
    expect(table).toContain('Recipient address rejected');
    await rm(dir, { recursive: true, force: true });
  });

  it('an HTTP API’s 401, 403 and 404 are not explained as Microsoft Graph’s', () => {
    for (const httpStatus of [401, 403, 404]) {
      expect(classifyFailure({ message: 'refused', httpStatus, protocol: 'http' }).code).toBe(ErrorCodes.DELIVERY_FAILED);
      expect(classifyFailure({ message: 'refused', httpStatus, protocol: 'graph' }).code).not.toBe(ErrorCodes.DELIVERY_FAILED);
    }
  });
});

// The example provider meets the same contract as mailwright's own providers.
providerConformance('Mail API example (HTTP stand-in)', {
  delivers: 'sent',
  failure: { code: ErrorCodes.DELIVERY_FAILED, permanent: true },
  async start() {
    const api = await startDemoMailApi('conformance-key');
    return {
      provider: mailApiProvider({ baseUrl: api.baseUrl, apiKey: 'conformance-key' }),
      context: { mode: 'batch' },
      delivered: () => Promise.all(api.accepted.map(async (m) => deliveredFromMime(await simpleParser(m.mime), m.envelope.to))),
      breakDestination: async () => {
        api.failWith = 401; // the API key was revoked
        return async () => {
          api.failWith = undefined;
        };
      },
      close: () => api.close(),
    };
  },
});
