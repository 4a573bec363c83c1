import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string }>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {}).flatMap(([name, meta]) => (meta.optional === true ? [name] : []));

/** Runs a command in `cwd` with npm's cache in the temp folder (npx then keeps nothing in ~/.npm). */
async function sh(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/**
 * The repository as `git clone` gives it, with the work tree's uncommitted changes on top
 * (the files git would commit: tracked and untracked, .gitignore honoured), so that this test
 * checks the code under test, committed or not.
 */
async function cloneWorkTree(into: string): Promise<void> {
  await sh(tmpdir(), 'git', ['clone', '--quiet', root, into]);
  const list = async (...args: string[]): Promise<string[]> => (await sh(root, 'git', ['ls-files', '-z', ...args])).split('\0').filter(Boolean);
  for (const file of await list('--cached', '--others', '--exclude-standard')) {
    await mkdir(dirname(join(into, file)), { recursive: true });
    await cp(join(root, file), join(into, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // deleted in the work tree: removed below
    });
  }
  for (const file of await list('--deleted')) await rm(join(into, file), { force: true });
}

/**
 * A fresh clone, then `npm install` as the README says. The registry is not used: the work
 * tree's node_modules is copied in first as hard links (its hidden lockfile as a real copy,
 * since npm rewrites it), so `npm install --offline` finds every package in place and runs
 * only the project's own lifecycle scripts.
 */
describe('a fresh clone, after `npm install`', () => {
  let dir: string;
  let clone: string;
  let npmEnv: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-fresh-clone-'));
    clone = join(dir, 'mailwright');
    npmEnv = { npm_config_cache: join(dir, 'npm-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    await cloneWorkTree(clone);
    await sh(dir, 'cp', ['-al', join(root, 'node_modules'), join(clone, 'node_modules')]);
    const hiddenLockfile = join(clone, 'node_modules', '.package-lock.json');
    await rm(hiddenLockfile); // a hard link to the work tree's: replaced by a copy
    await copyFile(join(root, 'node_modules', '.package-lock.json'), hiddenLockfile);
    await sh(clone, 'npm', ['install', '--no-audit', '--no-fund'], npmEnv);
  }, 240_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs `npx mailwright --help`', async () => {
    const help = await sh(clone, 'npx', ['mailwright', '--help'], npmEnv);
    expect(help).toContain('Usage: mailwright [options] [command]');
    expect(help).toContain('distribute');
  }, 60_000);

  it('imports the package by its name', async () => {
    const out = await sh(clone, process.execPath, ['--input-type=module', '-e', "const m = await import('mailwright'); console.log(typeof m.createMailwright, typeof m.ExitCodes?.USAGE);"]);
    expect(out.trim()).toBe('function number');
  }, 60_000);

  it('ships the sources its source maps point to', async () => {
    const [{ files }] = JSON.parse(await sh(clone, 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], npmEnv)) as [{ files: { path: string }[] }];
    const shipped = new Set(files.map((f) => f.path));
    const maps = [...shipped].filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(await readFile(join(clone, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = join(dirname(map), source);
        if (!shipped.has(target)) missing.push(`${map} -> ${source}`);
      }
    }
    expect(missing).toEqual([]);
  }, 60_000);

  it('gives hosts the SMTP test server of `mailwright/testing`', async () => {
    const script = `
      import { createMailwright, createSqliteStore, smtpProvider, InMemoryUserDirectory } from 'mailwright';
      import { startSmtpTestServer } from 'mailwright/testing';
      const server = await startSmtpTestServer({ starttls: false });
      const mailwright = await createMailwright({
        store: createSqliteStore({ filename: ${JSON.stringify(join(dir, 'testing.db'))} }),
        providers: [smtpProvider({ settings: { host: server.host, port: server.port, requireTls: false, requireAuth: false } })],
        users: new InMemoryUserDirectory(),
      });
      const result = await mailwright.sendTestEmail({ provider: 'smtp', to: 'admin@example.com', from: 'noreply@contoso.com' });
      await mailwright.close();
      await server.close();
      console.log(result.ok, server.messages.map((m) => m.parsed.to.text).join());`;
    expect((await sh(clone, process.execPath, ['--input-type=module', '-e', script])).trim()).toBe('true admin@example.com');
  }, 60_000);

  // A consumer's compiler reads the declarations its imports reach: none may import a package
  // the consumer need not have (with skipLibCheck: false that would be TS2307).
  it('its declarations, from every entry point, never import an optional peer dependency', async () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const { fileName } of ts.preProcessFile(await readFile(file, 'utf8'), true, true).importedFiles) {
        if (fileName.startsWith('.')) await visit(join(dirname(file), fileName.replace(/\.js$/, '.d.ts')));
        else if (optionalPeers.some((peer) => fileName === peer || fileName.startsWith(`${peer}/`))) offending.push(`${file.slice(clone.length + 1)} imports ${fileName}`);
      }
    };
    for (const { types } of Object.values(manifest.exports)) await visit(join(clone, types));
    expect(seen.size).toBeGreaterThan(50);
    expect(offending).toEqual([]);
  }, 60_000);

  it('imports and sends without its optional peer dependencies installed', async () => {
    for (const peer of optionalPeers) await rm(join(clone, 'node_modules', peer), { recursive: true, force: true }); // hard links: the work tree keeps its copy
    const script = `
      import { createMailwright, createSqliteStore, emlProvider, InMemoryUserDirectory } from 'mailwright';
      const mailwright = await createMailwright({
        store: createSqliteStore({ filename: ${JSON.stringify(join(dir, 'no-peers.db'))} }),
        providers: [emlProvider({ directory: ${JSON.stringify(join(dir, 'eml'))} })],
        users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'eml' } }]),
      });
      const { status } = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Hi', text: 'x' }, 'ana'));
      await mailwright.close();
      console.log(status);`;
    expect((await sh(clone, process.execPath, ['--input-type=module', '-e', script])).trim()).toBe('exported');
    await expect(sh(clone, process.execPath, ['-e', "require.resolve('@opentelemetry/api')"])).rejects.toThrow(/Cannot find module/);
  }, 60_000);
});
