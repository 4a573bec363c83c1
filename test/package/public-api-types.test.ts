import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src') + '/';
const exportsMap = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }> }).exports;
/** The source of each entry point of package.json's exports: "./dist/testing/index.d.ts" → src/testing/index.ts. */
const entryPoints = Object.values(exportsMap).map(({ types }) => join(root, types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')));

/** The public API as the compiler sees it: the declarations the package's entry points export. */
interface PublicApi {
  checker: ts.TypeChecker;
  /** The exported declarations, aliases resolved to what they name. */
  exported: Set<ts.Symbol>;
}

/** What an export alias names (the symbol itself when it is not an alias). */
const resolveAlias = (checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

/** Compiles the entry points (and what they import) once; every test reads the same program. */
function loadPublicApi(): PublicApi {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.build.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram(entryPoints, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const exports = entryPoints.flatMap((entry) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!));
  return { checker, exported: new Set(exports.map((symbol) => resolveAlias(checker, symbol))) };
}

/**
 * The types that the declarations exported from src/index.ts name (parameters, return types,
 * members, heritage) and that src declares but index.ts does not export: an application can
 * use such an API but cannot name its types, e.g. to implement a `Store`. Private members and
 * the `…Deps` of constructors (the wiring `createMailwright()` does) are not public.
 */
function forgottenExports({ checker, exported }: PublicApi): string[] {
  const forgotten = new Map<string, Set<string>>();

  const isPrivate = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  function visitTypes(node: ts.Node, owner: string): void {
    if (isPrivate(node) || ts.isBlock(node)) return; // private members; function bodies
    if (ts.isPrivateIdentifier(node)) return;
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      const symbol = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
      const target = symbol && resolveAlias(checker, symbol);
      const declaration = target?.declarations?.[0];
      if (target && declaration && declaration.getSourceFile().fileName.startsWith(src) && !exported.has(target) && !target.name.endsWith('Deps') && !(target.flags & ts.SymbolFlags.TypeParameter)) {
        const entry = forgotten.get(target.name);
        if (entry !== undefined) entry.add(owner);
        else {
          forgotten.set(target.name, new Set([owner]));
          visitDeclarations(target); // what it names is public too
        }
      }
    }
    ts.forEachChild(node, (child) => visitTypes(child, owner));
  }
  function visitDeclarations(symbol: ts.Symbol): void {
    for (const declaration of symbol.declarations ?? []) {
      if (declaration.getSourceFile().fileName.startsWith(src) && !ts.isVariableDeclaration(declaration)) visitTypes(declaration, symbol.name);
    }
  }
  exported.forEach(visitDeclarations);
  return [...forgotten].map(([name, owners]) => `${name} (named by ${[...owners].sort().join(', ')})`).sort();
}

/**
 * The exported declarations, and the members of exported interfaces and classes (all but
 * private members and constructors), that have no TSDoc comment, as `Name` or `Name.member`.
 * A member without its own comment counts as documented when it inherits one (from the
 * interface it implements or extends), as editors show it.
 */
function undocumented({ checker, exported }: PublicApi): string[] {
  const hasDoc = (symbol: ts.Symbol): boolean => ts.displayPartsToString(symbol.getDocumentationComment(checker)) !== '';
  const isPrivate = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  const missing: string[] = [];
  for (const symbol of exported) {
    if (!hasDoc(symbol)) missing.push(symbol.name);
    for (const declaration of symbol.declarations ?? []) {
      if (!ts.isInterfaceDeclaration(declaration) && !ts.isClassDeclaration(declaration)) continue;
      for (const member of declaration.members) {
        if (isPrivate(member) || ts.isConstructorDeclaration(member)) continue;
        const memberSymbol = member.name && checker.getSymbolAtLocation(member.name);
        if (memberSymbol && !hasDoc(memberSymbol)) missing.push(`${symbol.name}.${memberSymbol.name}`);
      }
    }
  }
  return missing;
}

describe('the public API', () => {
  it('has its entry points: the package and its subpaths', () => {
    expect(entryPoints).toEqual(expect.arrayContaining([join(src, 'index.ts'), join(src, 'testing', 'index.ts')]));
  });

  let api: PublicApi;

  it('each entry point of package.json exports has its types next to its module, from a source file', () => {
    expect(Object.keys(exportsMap)).toEqual(['.', './admin', './testing']);
    for (const entry of Object.values(exportsMap)) expect(entry.types).toBe(entry.import.replace(/\.js$/, '.d.ts'));
    for (const entry of entryPoints) expect(existsSync(entry)).toBe(true);
  });

  beforeAll(() => {
    api = loadPublicApi();
  }, 60_000);

  it('exports every type its exported declarations name', () => {
    expect(forgottenExports(api)).toEqual([]);
  });

  // The public API is documented with TSDoc: every export, and every member a host can use,
  // says what it is where the host's developers read it (their editor's hover, the .d.ts files).
  it('documents every exported declaration and public member with TSDoc', () => {
    expect(undocumented(api)).toEqual([]);
  });
});
