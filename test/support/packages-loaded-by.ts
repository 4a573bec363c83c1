import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The repository root. */
export const repositoryRoot = join(import.meta.dirname, '..', '..');
const hooks = pathToFileURL(join(repositoryRoot, 'test', 'support', 'import-log-hooks.mjs')).href;

/** The file URL of a source module, for `import()` in the code given to {@link packagesLoadedBy}. */
export const sourceUrl = (...path: string[]): string => pathToFileURL(join(repositoryRoot, 'src', ...path)).href;

/** The packages a fresh Node process resolves while it runs `code` (an ES module body). */
export async function packagesLoadedBy(code: string): Promise<Set<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-imports-'));
  const logFile = join(dir, 'imports.log');
  try {
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hooks)}, { data: { logFile: ${JSON.stringify(logFile)} } });`;
    await run(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', code], { cwd: repositoryRoot });
    const urls = (await readFile(logFile, 'utf8')).split('\n');
    return new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
