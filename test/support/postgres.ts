import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: MAILWRIGHT_PG_URL, or the local server. */
export const pgConnectionString = process.env.MAILWRIGHT_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL tests cannot run (the server is unreachable), or undefined when they can. */
async function unreachableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: pgConnectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return (error as { message?: string } | null)?.message ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Decided once per test file, at load; a skipped suite says so on the console. */
export const pgSkipReason = await unreachableReason();

/** `describe` when PostgreSQL is reachable, else `describe.skip` with a console warning naming the suite. */
export function describePostgres(name: string, body: () => void): void {
  if (pgSkipReason !== undefined) {
    console.warn(
      `${name}: PostgreSQL tests SKIPPED: cannot connect to ${pgConnectionString.replace(/\/\/[^@/]*@/, '//***@')} (${pgSkipReason}). ` +
        'Start PostgreSQL or set MAILWRIGHT_PG_URL to run them.',
    );
  }
  (pgSkipReason === undefined ? describe : describe.skip)(name, body);
}

/** Fresh schema names for one test file, dropped by `dropAll()`. */
export function pgSchemas(): { fresh(): string; dropAll(): Promise<void> } {
  const runId = `mw_test_${randomBytes(5).toString('hex')}`;
  const made: string[] = [];
  return {
    fresh: () => {
      const schema = `${runId}_${made.length + 1}`;
      made.push(schema);
      return schema;
    },
    dropAll: async () => {
      const admin = new pg.Pool({ connectionString: pgConnectionString, max: 1 });
      try {
        for (const schema of made.splice(0)) await admin.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}
