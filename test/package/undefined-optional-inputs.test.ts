import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureError } from '../../src/errors/classify-failure.js';
import { createMailwright } from '../../src/mailwright.js';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';

// Options typed `?: T | undefined` so that an application compiling with exactOptionalPropertyTypes
// can pass what it has (a page's nextCursor, an environment variable, a header): undefined means absent.
describe('optional inputs given as undefined mean absent', () => {
  it('history.list({ cursor: undefined }) reads the first page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mw-undefined-'));
    const mailwright = await createMailwright({ store: createSqliteStore({ filename: join(dir, 'mw.db') }), providers: [], users: new InMemoryUserDirectory() });
    try {
      await mailwright.enqueueMany([1, 2, 3].map((n) => ({ message: { from: 'a@contoso.com', to: 'b@example.com', subject: `n${n}`, text: 'x' } })));
      const first = await mailwright.history.list({ limit: 2 });
      expect(await mailwright.history.list({ limit: 2, cursor: undefined })).toEqual(first);
      const last = await mailwright.history.list({ limit: 2, cursor: first.nextCursor });
      expect(last.items).toHaveLength(1);
      expect(last.nextCursor).toBeUndefined();
    } finally {
      await mailwright.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('createPostgresStore({ connectionString: undefined }) without a pool is refused, saying what to pass', async () => {
    const error = await expectMailwrightError(Promise.resolve().then(() => createPostgresStore({ connectionString: undefined })), 'MW_INVALID_SETTINGS');
    expect(error.message).toContain('needs a connectionString or a pool');
  });

  it('failureError() classifies a failure whose Retry-After is undefined as one without it', () => {
    const { failure } = failureError({ message: 'The mail API answered 503', httpStatus: 503, retryAfterSeconds: undefined, protocol: 'http' });
    expect(failure).toMatchObject({ code: 'MW_SERVICE_UNAVAILABLE', httpStatus: 503 });
    expect(failure).not.toHaveProperty('retryAfterSeconds');
  });
});
