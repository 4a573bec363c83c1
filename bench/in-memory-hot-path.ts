import type { EmailRecord } from '../src/store/email-record.js';
import type { Store } from '../src/store/store.js';

/**
 * A diagnostic store for the throughput benchmark: the distributor's hot path
 * (insert, claim and count, payloads, outcomes) kept in memory and persisting nothing,
 * everything else (settings, purge) passed to `store`. The distributor on it
 * costs what the distributor itself costs per email, with no database; the
 * gap to the real store is the cost of persisting.
 */
export function inMemoryHotPath(store: Store): Store {
  const waiting: EmailRecord[] = [];
  const payloads = new Map<string, string>();
  const hotPath: Pick<Store, 'insertEmails' | 'claimDue' | 'countDue' | 'getPayloads' | 'finishAttempts'> = {
    insertEmails: async (records) => {
      for (const { payload, ...record } of records) {
        const createdAt = record.createdAt ?? new Date().toISOString();
        waiting.push({ ...record, createdAt, updatedAt: createdAt });
        if (payload !== undefined) payloads.set(record.id, payload);
      }
    },
    claimDue: async ({ now, limit, leaseMs, owner }) =>
      waiting.splice(0, limit).map((record) => ({ ...record, status: 'sending' as const, leaseOwner: owner, leaseExpiresAt: new Date(now + leaseMs).toISOString() })),
    countDue: async () => waiting.length,
    getPayloads: async (ids) => new Map(ids.flatMap((id) => (payloads.has(id) ? [[id, payloads.get(id) as string] as const] : []))),
    finishAttempts: async (items) => {
      for (const { emailId } of items) payloads.delete(emailId);
      return { missing: [], takenOver: [] };
    },
  };
  return new Proxy(store, {
    get: (target, key) => (key in hotPath ? hotPath[key as keyof typeof hotPath] : Reflect.get(target, key, target)),
  });
}
