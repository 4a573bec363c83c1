import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock/manual-clock.js';
import { createMailwright, type Mailwright } from '../../../src/mailwright.js';
import { exchangeProvider, type ExchangeProviderOptions } from '../../../src/providers/exchange/exchange-provider.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';
import type { DirectoryUser } from '../../../src/users/user-directory.js';
import { startMicrosoftStandIn, type MicrosoftStandIn, type MicrosoftStandInOptions } from '../../support/microsoft-stand-in/microsoft-stand-in.js';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const SECRET = 'correct~client~secret~value';
export const BATCH = 'batch@contoso.com';
export const T0 = '2026-11-24T10:00:00.000Z';

export const USERS: DirectoryUser[] = [
  { id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez' },
  { id: 'guest', email: 'guest@partner.example', displayName: 'Guest', external: true },
];

/** One mailwright instance with an Exchange provider wired to a fresh Microsoft stand-in. */
export interface ExchangeFixture {
  standIn: MicrosoftStandIn;
  mailwright: Mailwright;
  clock: ManualClock;
  close(): Promise<void>;
}

/** Starts a stand-in and a mailwright instance (SQLite file, ManualClock) using the Exchange provider as batch provider. */
export async function exchangeFixture(
  options: {
    provider?: Partial<ExchangeProviderOptions>;
    standIn?: Partial<MicrosoftStandInOptions>;
    settings?: Record<string, unknown>;
    /** The host's users. @default USERS */
    users?: DirectoryUser[];
    /** What the batch account may do for Ana's address. @default 'sendAs' */
    batchGrant?: 'sendAs' | 'sendOnBehalf' | 'none';
  } = {},
): Promise<ExchangeFixture> {
  const clock = new ManualClock(T0);
  const standIn = await startMicrosoftStandIn({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    mailboxes: [BATCH, 'Ana.Nunez@Contoso.com'],
    // The mailboxes keep the test's time: Drafts → Sent Items after 5 s of it.
    now: () => clock.now().toMillis(),
    ...options.standIn,
  });
  // As an Exchange administrator grants it: the batch account may send as Ana (or on her behalf).
  if ((options.batchGrant ?? 'sendAs') === 'sendAs') standIn.graph.grantSendAs(BATCH, 'Ana.Nunez@Contoso.com');
  if (options.batchGrant === 'sendOnBehalf') standIn.graph.grantSendOnBehalf(BATCH, 'Ana.Nunez@Contoso.com');
  const dir = await mkdtemp(join(tmpdir(), 'mw-exchange-'));
  const provider = exchangeProvider({
    network: { ca: standIn.certificate, connectTo: standIn.connectTo },
    settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, batchMailbox: BATCH, ...options.settings },
    ...options.provider,
  });
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
    providers: [provider],
    users: new InMemoryUserDirectory(options.users ?? USERS),
    clock,
    secretKey: Buffer.alloc(32, 7),
  });
  await mailwright.parameters.update({ batchProviderId: provider.id });
  return {
    standIn,
    mailwright,
    clock,
    close: async () => {
      await mailwright.close();
      await standIn.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
