import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { exchangeProvider } from '../../../src/providers/exchange/exchange-provider.js';
import { startMicrosoftStandIn } from '../../support/microsoft-stand-in/microsoft-stand-in.js';
import { testRuntime } from '../../support/test-runtime.js';
import { deliveredFromGraph } from '../delivered-email.js';
import { providerConformance } from '../provider-conformance.js';
import { BATCH, CLIENT, SECRET, TENANT } from './exchange-fixture.js';

// The HTTPS stand-in for the token endpoint and Graph; the destination breaks with a scripted 503 on sendMail.
providerConformance('Exchange (Microsoft Graph stand-in, batch account)', {
  delivers: 'sent',
  failure: { code: ErrorCodes.SERVICE_UNAVAILABLE, permanent: false },
  async start() {
    const standIn = await startMicrosoftStandIn({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, mailboxes: [BATCH] });
    standIn.graph.grantSendAs(BATCH, 'Ana.Nunez@Contoso.com'); // the suite's From
    const provider = exchangeProvider({
      network: { ca: standIn.certificate, connectTo: standIn.connectTo },
      settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, batchMailbox: BATCH },
    });
    provider.init?.(testRuntime());
    return {
      provider,
      context: { mode: 'batch' },
      delivered: async () => standIn.graph.sent.map(deliveredFromGraph),
      breakDestination: async () => {
        standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status: 503, code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' });
        return async () => undefined;
      },
      close: async () => {
        await provider.close?.();
        await standIn.close();
      },
    };
  },
});
