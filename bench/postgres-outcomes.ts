import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPostgresStore } from '../src/store/postgres/postgres-store.js';
import type { NewEmailRecord } from '../src/store/email-record.js';
import { postgresBackendCpu } from './peers/backend-cpu.js';
import { dropSchemas, pgUrlFor } from './peers/peer-sender.js';

// A diagnostic for the distributor's write per email on PostgreSQL: 4,000 emails being sent are
// made `sent` (the outcome UPDATE with its attempt-log line, and the payload DELETE) the way the
// store writes them today (a transaction per group of two, one statement per email) and as one
// statement per group (unnest + UPDATE … FROM + DELETE in one CTE), plain and as a named
// prepared statement. Prints PostgreSQL backend and client CPU per email for each.

const COUNT = Number(process.env.BENCH_OUTCOMES ?? 4000);
const line = `${JSON.stringify({ attempt: 1, providerId: 'smtp', outcome: 'sent', transcript: 'C: MAIL FROM:<a@contoso.com>\nS: 250 2.1.0 Ok\nC: RCPT TO:<b@example.com>\nS: 250 2.1.5 Ok\nC: DATA\nS: 354 Go ahead\nS: 250 2.0.0 Ok: queued' })}\n`;
const now = Date.now();
type Write = (client: pg.Client, ids: string[]) => Promise<void>;

/** Today's shape: BEGIN, one UPDATE per email, the payload DELETE, COMMIT, per group of `size`. */
const perEmail = (size: number, prepared: boolean): Write => async (client, ids) => {
  for (let i = 0; i < ids.length; i += size) {
    const group = ids.slice(i, i + size);
    await client.query('begin');
    for (const id of group) {
      await client.query({
        ...(prepared ? { name: 'mw_outcome_one' } : {}),
        text: "update emails set status = $1, updated_at_ms = $2, sent_at_ms = $3, lease_owner = null, lease_expires_at_ms = null, attempts = $4, response = $5, recipients_json = $6, attempt_log = coalesce(attempt_log, '') || $7 where id = $8 and (lease_owner is null or lease_owner = $9)",
        values: ['sent', now, now, 1, '250 2.0.0 Ok', '[]', line, id, 'w1'],
      });
    }
    await client.query({ ...(prepared ? { name: 'mw_payloads_drop' } : {}), text: 'delete from email_payloads where email_id = any($1)', values: [group] });
    await client.query('commit');
  }
};

/** One statement per group of `size`: atomic on its own, so no BEGIN and COMMIT either. */
const perGroup = (size: number, prepared: boolean): Write => async (client, ids) => {
  for (let i = 0; i < ids.length; i += size) {
    const group = ids.slice(i, i + size);
    const each = <T>(value: T): T[] => group.map(() => value);
    await client.query({
      ...(prepared ? { name: `mw_outcomes_${size}` } : {}),
      text: `with v as (select * from unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::bool[]) as v(id, status, sent_at_ms, attempts, response, recipients_json, line, drop_payload)),
        done as (update emails e set status = v.status, updated_at_ms = $9, sent_at_ms = v.sent_at_ms, lease_owner = null, lease_expires_at_ms = null, attempts = v.attempts,
            response = v.response, recipients_json = v.recipients_json, attempt_log = coalesce(e.attempt_log, '') || v.line
          from v where e.id = v.id and (e.lease_owner is null or e.lease_owner = $10) returning e.id, v.drop_payload),
        gone as (delete from email_payloads p using done where p.email_id = done.id and done.drop_payload)
        select id from done`,
      values: [group, each('sent'), each(now), each(1), each('250 2.0.0 Ok'), each('[]'), each(line), each(true), now, 'w1'],
    });
  }
};

async function measure(label: string, write: Write): Promise<void> {
  const schema = `mwbench_outcomes_${randomBytes(4).toString('hex')}`;
  const store = createPostgresStore({ connectionString: pgUrlFor(schema), schema });
  const leaseExpiresAt = new Date(now + 600_000).toISOString();
  const records: NewEmailRecord[] = Array.from({ length: COUNT }, (_, i) => ({
    id: randomUUID(), status: 'sending', mode: 'batch', providerId: 'smtp', messageId: `<${i}@contoso.com>`, from: 'Batch <batch@contoso.com>', senderAddress: 'batch@contoso.com',
    recipients: [{ kind: 'to', address: `c${i}@example.com`, status: 'pending' }], subject: `Invoice ${i}`, sizeBytes: 900, attempts: 0, deferrals: 0, forced: false, priority: 0,
    dueAt: new Date(now).toISOString(), meta: {}, leaseOwner: 'w1', leaseExpiresAt, payload: '{"text":"Hello"}',
  }));
  try {
    await store.migrate();
    await store.insertEmails(records);
    const client = new pg.Client({ connectionString: pgUrlFor(schema) });
    await client.connect();
    await client.query(`set search_path to "${schema}"`);
    const backend = postgresBackendCpu(schema);
    const stop = await backend.start();
    const cpu = process.cpuUsage();
    await write(client, records.map((r) => r.id));
    const used = process.cpuUsage(cpu);
    const backendUs = await stop();
    await backend.close();
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from emails where status = 'sent'");
    await client.end();
    if (rows[0]?.n !== COUNT) throw new Error(`${label}: ${rows[0]?.n} of ${COUNT} emails were made sent`);
    console.log(`  ${label.padEnd(48)} PostgreSQL ${(backendUs / COUNT).toFixed(0).padStart(4)} µs, client ${((used.user + used.system) / COUNT).toFixed(0).padStart(4)} µs per email`);
  } finally {
    await store.close();
    await dropSchemas([schema]);
  }
}

console.log(`\n== PostgreSQL outcome writes of ${COUNT} emails (CPU per email)`);
await measure('today: per group of 2, one UPDATE per email', perEmail(2, false));
await measure('per group of 2, one UPDATE per email, prepared', perEmail(2, true));
await measure('one statement per group of 16', perGroup(16, false));
await measure('one statement per group of 16, prepared', perGroup(16, true));
await measure('one statement per group of 32, prepared', perGroup(32, true));
