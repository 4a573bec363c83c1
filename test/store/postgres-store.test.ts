import pg from 'pg';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { at, msAt, newRecord } from './support/email-fixtures.js';
import { describePostgres, pgConnectionString, pgSchemas } from '../support/postgres.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { describeStoreConformance } from './store-conformance.js';

const connectionString = pgConnectionString;
const schemas = pgSchemas();
const freshSchema = schemas.fresh;
let admin: pg.Pool | undefined;

describePostgres('PostgreSQL', () => {
  beforeAll(() => {
    admin = new pg.Pool({ connectionString, max: 2 });
  });

  afterAll(async () => {
    await schemas.dropAll();
    await admin?.end();
  });

  describeStoreConformance('postgres', () => Promise.resolve(createPostgresStore({ connectionString, schema: freshSchema() })));

  describe('PostgreSQL store', () => {
    const opened: Store[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('keeps its tables in its own schema, times as BIGINT epoch ms', async () => {
      const schema = freshSchema();
      const store = createPostgresStore({ connectionString, schema });
      opened.push(store);
      await store.migrate();
      const { rows } = await (admin as pg.Pool).query<{ table_name: string; column_name: string; data_type: string }>(
        `select table_name, column_name, data_type from information_schema.columns where table_schema = $1 and column_name like '%_ms' order by 1, 2`,
        [schema],
      );
      expect(rows.length).toBeGreaterThan(5);
      expect(new Set(rows.map((r) => r.data_type))).toEqual(new Set(['bigint']));
      expect(new Set(rows.map((r) => r.table_name))).toEqual(new Set(['emails', 'settings']));
      const { rows: tables } = await (admin as pg.Pool).query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1 order by 1`,
        [schema],
      );
      expect(tables.map((t) => t.table_name)).toEqual(['email_payloads', 'emails', 'mailwright_migration', 'mailwright_migration_lock', 'settings']);
    });

    it('isolates two schemas on one database', async () => {
      const a = createPostgresStore({ connectionString, schema: freshSchema() });
      const b = createPostgresStore({ connectionString, schema: freshSchema() });
      opened.push(a, b);
      await a.migrate();
      await b.migrate();
      const record = newRecord({ status: 'sent', sentAt: at(1_000) });
      await a.insertEmail(record);
      expect((await a.getEmail(record.id))?.id).toBe(record.id);
      expect(await b.getEmail(record.id)).toBeUndefined();
      expect(await b.countSentSince('smtp', msAt(0))).toBe(0);
    });

    it('uses a pool it is given, returns BIGINT values as numbers, and does not end the pool on close', async () => {
      const pool = new pg.Pool({ connectionString, max: 3 });
      try {
        const clock = new ManualClock('2026-07-01T00:00:00.000Z');
        const store = createPostgresStore({ pool, schema: freshSchema(), clock });
        await store.migrate();
        const { createdAt: _none, ...record } = newRecord({ status: 'sent', sizeBytes: 3_000_000_000, sentAt: '2026-07-01T00:00:00.250Z' });
        const inserted = await store.insertEmail(record);
        expect(inserted.createdAt).toBe('2026-07-01T00:00:00.000Z');
        const read = await store.getEmail(record.id);
        expect(read?.sizeBytes).toBe(3_000_000_000);
        expect(read?.sentAt).toBe('2026-07-01T00:00:00.250Z');
        expect(await store.countSentSince('smtp', msAt(0))).toBe(1);
        expect(await store.listSentTimesSince('smtp', msAt(0))).toEqual([Date.parse('2026-07-01T00:00:00.250Z')]);
        await store.close();
        const { rows } = await pool.query('select 1 as ok');
        expect(rows).toEqual([{ ok: 1 }]);
      } finally {
        await pool.end();
      }
    });

    it('runs migrate() from several stores at once on a new schema', async () => {
      const schema = freshSchema();
      const stores = [1, 2, 3].map(() => createPostgresStore({ connectionString, schema }));
      opened.push(...stores);
      await Promise.all(stores.map((s) => s.migrate()));
      await stores[0]?.putSetting('k', 'v');
      expect(await stores[2]?.getSetting('k')).toBe('v');
    });

    it('needs a connection string or a pool', () => {
      expect(() => createPostgresStore({})).toThrow(MailwrightError);
      try {
        createPostgresStore({});
      } catch (error) {
        expect((error as MailwrightError).code).toBe(ErrorCodes.INVALID_SETTINGS);
      }
    });

    it('reports an unreachable server as a transient MW_STORE_FAILED without the password', async () => {
      const store = createPostgresStore({ connectionString: 'postgres://mailer:S3cret-pw@127.0.0.1:1/none' });
      opened.push(store);
      const error = await expectMailwrightError(store.migrate(), ErrorCodes.STORE_FAILED);
      expect(error.permanent).toBe(false);
      expect(JSON.stringify(error.toJSON())).not.toContain('S3cret-pw');
      expect(error.message).not.toContain('S3cret-pw');
    });
  });
});
