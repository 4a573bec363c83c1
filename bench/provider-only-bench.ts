import { validateMessage } from '../src/message/validate-message.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { concurrentRate, smallEmail, type RateBench } from './concurrent-rate.js';

/**
 * A diagnostic beside the baseline: mailwright's SMTP provider alone (no queue,
 * no history) sending the same small emails with the same concurrency. The gap
 * between it and the distributor is the cost of the queue and the history.
 */
export async function providerOnlyBench(port: number, count: number, concurrency: number): Promise<RateBench> {
  const provider = smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false }, maxConnections: concurrency });
  const messages = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      validateMessage(
        { ...smallEmail(i), messageId: `<provider-${i}@contoso.com>` },
        { messageIdDomain: 'contoso.com', now: new Date() },
      ),
    ),
  );
  return {
    rate: () => concurrentRate(count, concurrency, (i) => provider.send(messages[i] as (typeof messages)[number], { mode: 'batch', emailId: `provider-${i}`, attempt: 1 })),
    close: async () => provider.close?.(),
  };
}
