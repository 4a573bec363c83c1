import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { smtpProvider } from '../../../src/providers/smtp/smtp-provider.js';
import { startSmtpTestServer, type SmtpRule } from '../../support/smtp-test-server.js';
import { testRuntime } from '../../support/test-runtime.js';
import { deliveredFromMime } from '../delivered-email.js';
import { providerConformance } from '../provider-conformance.js';

// A real SMTP server on localhost with STARTTLS and AUTH; it fails the next DATA with a 451 when told to.
providerConformance('SMTP (smtp-server with STARTTLS and AUTH)', {
  delivers: 'sent',
  failure: { code: ErrorCodes.TRANSIENT_FAILURE, permanent: false },
  async start() {
    const rules: SmtpRule[] = [];
    const credentials = { username: 'mailer@contoso.com', password: 'S3cret!pass' };
    const server = await startSmtpTestServer({ auth: credentials, rules });
    const provider = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, ...credentials, ca: server.certificate, servername: 'localhost' } });
    provider.init?.(testRuntime());
    return {
      provider,
      context: { mode: 'batch' },
      delivered: async () => server.messages.map((m) => deliveredFromMime(m.parsed, m.envelope.rcptTo)),
      breakDestination: async () => {
        rules.push({ onData: true, code: 451, message: '4.3.0 Temporary local problem, try again later', times: 1 });
        return async () => undefined;
      },
      close: async () => {
        await provider.close?.();
        await server.close();
      },
    };
  },
});
