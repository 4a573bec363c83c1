import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');
const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
/**
 * Optional peer dependencies: loaded only when installed (OpenTelemetry), or only by a
 * subpath a host imports in its own tests (`mailwright/testing`). test/package/fresh-clone.test.ts
 * checks that the package works without them and that its declarations never need them.
 */
const optionalPeers = new Set(Object.keys(own.peerDependencies ?? {}).filter((name) => own.peerDependenciesMeta?.[name]?.optional === true));
const packageOf = (specifier: string): string => /^(@[^/]+\/[^/]+|[^/]+)/.exec(specifier)![1]!;

/** Every module specifier `src` imports from a package (values or types). */
function importedSpecifiers(): Set<string> {
  const specifiers = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) {
        for (const { fileName } of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) {
          if (!fileName.startsWith('.') && !fileName.startsWith('node:')) specifiers.add(fileName);
        }
      }
    }
  };
  visit(join(root, 'src'));
  return specifiers;
}

/**
 * The package whose declarations TypeScript uses for `specifier`, as it resolves them for an
 * ES module consumer: the package itself, an `@types` package, or undefined (no types).
 */
function typesFrom(specifier: string): string | undefined {
  const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
  const resolved = ts.resolveModuleName(specifier, join(root, 'src', 'index.ts'), options, ts.sys, undefined, undefined, ts.ModuleKind.ESNext).resolvedModule;
  if (resolved === undefined || !resolved.extension.startsWith('.d.')) return undefined;
  return packageOf(resolved.resolvedFileName.slice(resolved.resolvedFileName.lastIndexOf('/node_modules/') + '/node_modules/'.length));
}

describe('what the published package needs', () => {
  const specifiers = [...importedSpecifiers()];

  it('finds the packages src imports, subpaths included', () => {
    expect(specifiers).toEqual(expect.arrayContaining(['kysely', 'luxon', 'zod', 'nodemailer/lib/mail-composer']));
  });

  it('every package src imports is a runtime dependency or an optional peer dependency, not a devDependency', () => {
    expect([...new Set(specifiers.map(packageOf))].filter((name) => own.dependencies[name] === undefined && !optionalPeers.has(name))).toEqual([]);
  });

  // The emitted .d.ts files import these modules' types: a consumer compiling with
  // skipLibCheck: false fails with TS7016 unless they are installed with mailwright.
  it('the declarations of each imported module come with a runtime dependency (the package itself or its @types)', () => {
    const withoutTypes = specifiers.filter((specifier) => !optionalPeers.has(packageOf(specifier))).filter((specifier) => {
      const from = typesFrom(specifier);
      return from === undefined || own.dependencies[from] === undefined;
    });
    expect(withoutTypes.map((specifier) => `${specifier} (types from ${typesFrom(specifier) ?? 'nowhere'})`)).toEqual([]);
  });
});
