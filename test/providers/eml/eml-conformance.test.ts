import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { emlProvider } from '../../../src/providers/eml/eml-provider.js';
import { deliveredFromMime } from '../delivered-email.js';
import { providerConformance } from '../provider-conformance.js';

/** The .eml drafts in a folder, oldest first (none when the folder is missing or is not a folder). */
async function drafts(folder: string) {
  const isFolder = await stat(folder).then((s) => s.isDirectory(), () => false);
  if (!isFolder) return [];
  const names = (await readdir(folder)).filter((name) => name.endsWith('.eml'));
  const files = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(folder, name))).mtimeMs })));
  files.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
  return Promise.all(files.map(async ({ name }) => deliveredFromMime(await simpleParser(await readFile(join(folder, name))))));
}

// Real files in a temporary folder; the destination breaks when the folder's path is taken by a plain file.
providerConformance('EML (files in a folder)', {
  delivers: 'exported',
  failure: { code: ErrorCodes.EXPORT_FAILED, permanent: true },
  async start() {
    const dir = await mkdtemp(join(tmpdir(), 'mw-eml-conformance-'));
    const folder = join(dir, 'drafts');
    const provider = emlProvider({ directory: folder });
    return {
      provider,
      context: { mode: 'interactive' },
      delivered: () => drafts(folder),
      breakDestination: async () => {
        await rm(folder, { recursive: true, force: true });
        await writeFile(folder, 'a file where the folder should be');
        return () => rm(folder, { force: true });
      },
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
