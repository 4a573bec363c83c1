/** Which sender a peer process runs. */
export type PeerKind = 'raw-nodemailer' | 'mailwright-sqlite' | 'mailwright-postgres' | 'bullmq' | 'pg-boss';

/** How a peer process is set up (passed as JSON on its command line). */
export interface PeerConfig {
  kind: PeerKind;
  /** The sink's port. */
  port: number;
  /** Names this sender's queue: its SQLite file, PostgreSQL schema or application_name, Redis queue. */
  namespace: string;
  /** A directory for files (the SQLite database). */
  dir: string;
  /** SMTP connections, and emails in flight where the sender has that knob. */
  concurrency: number;
  /**
   * Set for a crash test: how soon an email a killed worker held is taken again (the lease,
   * lock or expiry), so that the recovering worker does not wait for the default minutes.
   */
  takeOverMs?: number;
}

/** One sender of the peer benchmark, as its own process drives it. */
export interface PeerSender {
  /**
   * Queues `count` small emails to `${prefix}${i}@example.com` (queue-backed senders store them;
   * raw nodemailer only remembers them). Not timed.
   */
  fill(prefix: string, count: number): Promise<void>;
  /** Sends everything filled and not sent yet; resolves when it is all sent. Timed. */
  drain(): Promise<void>;
  /**
   * After a crash: sends what the killed worker left, including what it held when it died,
   * once that is taken over; resolves when nothing is left waiting or in flight.
   */
  recover(): Promise<void>;
  close(): Promise<void>;
}

/** The i-th small email of a round: the same for every sender, so the ratios compare like with like. */
export const peerEmail = (prefix: string, i: number) => ({
  from: 'Batch <batch@contoso.com>',
  to: `${prefix}${i}@example.com`,
  subject: `Invoice ${i}`,
  text: `Hello, your invoice ${i} is ready.`,
});

/** The PostgreSQL the benchmarks use (as the tests: MAILWRIGHT_PG_URL or the local server). */
export const PG_URL = process.env.MAILWRIGHT_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Redis for BullMQ. */
export const REDIS_URL = process.env.MAILWRIGHT_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The connection string of one sender's pool: its backends are found by application_name. */
export const pgUrlFor = (namespace: string): string => `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${namespace}`;

/** Drops PostgreSQL schemas a benchmark made (with everything in them). */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
  await admin.end();
}

/** Resolves after `ms`. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
