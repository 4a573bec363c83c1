import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Runs each test of the current describe block with umask 0: any privacy must come from the code under test. */
export function withPermissiveUmask(): void {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });
}

/**
 * A folder owned by another user: a new folder under `dir` given to nobody (65534) when this
 * process may hand it over (root), else `/`, which root owns.
 */
export async function foreignFolder(dir: string): Promise<string> {
  if (process.geteuid?.() !== 0) return '/';
  const folder = join(dir, 'foreign');
  await mkdir(folder, { mode: 0o700 });
  await chown(folder, 65534, 65534);
  return folder;
}
