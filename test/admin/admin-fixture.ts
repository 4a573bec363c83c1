import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminHandler, type AdminOptions } from '../../src/admin/index.js';
import type { Clock } from '../../src/clock/clock.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { exchangeProvider } from '../../src/providers/exchange/exchange-provider.js';
import type { Provider } from '../../src/providers/provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

/** The SMTP password stored through the console; it must never reach a browser. */
export const SMTP_PASSWORD = 'Console!Secret-7f3a';
/** The session cookie the fixture's `authorize` accepts. */
export const SESSION = { name: 'host_session', value: 'administrator-session' };
/** The console's mount path. */
export const BASE_PATH = '/admin/email';
export const SEND_AS_DENIED = '5.7.1 Client does not have permissions to send as this sender';

/** A console over a real SQLite file and a real SMTP server, mounted on node:http like a host would. */
export interface AdminFixture {
  /** The console's URL (ends with the base path and a slash). */
  url: string;
  /** The server's origin, e.g. http://127.0.0.1:1234. */
  origin: string;
  mailwright: Mailwright;
  smtp: SmtpTestServer;
  /** Sends what is queued (the host's distributor). */
  distribute(): Promise<void>;
  close(): Promise<void>;
}

/** A provider that checks its connection itself (`verifyConnection`), as the Exchange provider does. */
function checkingProvider(): Provider {
  return {
    id: 'relay',
    kind: 'relay',
    displayName: 'Checked relay',
    interactive: false,
    batch: true,
    microsoft365: false,
    send: () => Promise.reject(new Error('not used')),
    verifyConnection: () =>
      Promise.resolve({
        providerId: 'relay',
        ok: false,
        checks: [
          { name: 'dns', status: 'ok', message: 'relay.contoso.com resolves.' },
          { name: 'auth', status: 'problem', code: 'MW_AUTH_FAILED', message: '535 5.7.3 Authentication unsuccessful <script>alert(1)</script>', fix: 'Re-enter the user name and password.' },
        ],
      }),
  };
}

/** Starts the fixture: SMTP settings stored (with a password), a batch provider, users and templates. */
export async function startAdminFixture(overrides: Partial<AdminOptions> & { clock?: Clock } = {}): Promise<AdminFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-admin-'));
  // The server refuses Send As for sales@ once: the administrator "grants" it, then retries.
  const smtp = await startSmtpTestServer({
    starttls: false,
    auth: { username: 'mailer@contoso.com', password: SMTP_PASSWORD },
    rules: [{ from: 'sales@contoso.com', code: 550, message: SEND_AS_DENIED, times: 1 }],
  });
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dir, 'mailwright.db'), ...(overrides.clock ? { clock: overrides.clock } : {}) }),
    providers: [smtpProvider({ id: 'smtp' }), emlProvider({ id: 'eml', directory: join(dir, 'eml') }), exchangeProvider({ id: 'exchange' }), checkingProvider()],
    users: new InMemoryUserDirectory([
      { id: 'ana', email: 'ana@contoso.com', displayName: 'Ana María Núñez', options: { providerId: 'smtp', language: 'fr' } },
      { id: 'bob', email: 'bob@contoso.com', displayName: 'Bob Smith' },
    ]),
    templates: {
      organization: new InMemoryTemplateSource([
        {
          id: 'approval',
          defaultLanguage: 'en',
          senderEmail: 'Contoso Workflow <workflow@contoso.com>',
          variants: {
            en: { subject: 'Approve {{ request.title }}', html: '<p style="color:#1d4ed8">Hello {{ user.name }}, please approve <b>{{ request.title }}</b>.</p>', text: 'Hello {{ user.name }}, please approve {{ request.title }}.' },
            fr: { subject: 'Approuver {{ request.title }}', html: '<p>Bonjour {{ user.name }}, veuillez approuver <b>{{ request.title }}</b>.</p>' },
          },
        },
      ]),
    },
    secretKey: Buffer.alloc(32, 5),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  await mailwright.smtpSettings.save('smtp', { host: '127.0.0.1', port: smtp.port, requireTls: false, allowInsecureAuth: true, username: 'mailer@contoso.com', password: SMTP_PASSWORD, mailbox: 'mailer@contoso.com' });
  await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 120 } });

  const { clock: _clock, ...options } = overrides;
  const handler = createAdminHandler({
    mailwright,
    basePath: BASE_PATH,
    authorize: (req: IncomingMessage) => (req.headers.cookie ?? '').includes(`${SESSION.name}=${SESSION.value}`),
    listUsers: async () => [
      { id: 'ana', email: 'ana@contoso.com', displayName: 'Ana María Núñez' },
      { id: 'bob', email: 'bob@contoso.com', displayName: 'Bob Smith' },
    ],
    templates: [{ id: 'approval', sampleData: { user: { name: 'Ana' }, request: { title: 'Purchase order 4711' } } }],
    ...options,
  });
  const server: Server = createServer((req, res) => void handler(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${BASE_PATH}/`,
    origin,
    mailwright,
    smtp,
    distribute: async () => {
      await mailwright.distributor.runOnce();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await mailwright.close();
      await smtp.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
