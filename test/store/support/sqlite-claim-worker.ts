/**
 * Child process for the cross-process claim test: opens the SQLite file,
 * says "ready", waits for "go" on stdin, claims until nothing is due, then
 * prints the claimed ids as JSON. Usage: worker <file> <owner> <nowMs>
 */
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const [file, owner, now] = process.argv.slice(2);
if (file === undefined || owner === undefined || now === undefined) throw new Error('usage: sqlite-claim-worker <file> <owner> <nowMs>');

const store = createSqliteStore({ filename: file, busyTimeoutMs: 20_000 });
await store.migrate();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const claimed: string[] = [];
for (;;) {
  const batch = await store.claimDue({ now: Number(now), limit: 2, leaseMs: 600_000, owner });
  if (batch.length === 0) break;
  claimed.push(...batch.map((r) => r.id));
}
await store.close();
process.stdout.write(JSON.stringify(claimed));
