import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src') + '/';

/**
 * The types that the declarations exported from src/index.ts name (parameters, return types,
 * members, heritage) and that src declares but index.ts does not export: an application can
 * use such an API but cannot name its types, e.g. to implement a `Store`. Private members and
 * the `…Deps` of constructors (the wiring `createMailwright()` does) are not public.
 */
function forgottenExports(): string[] {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.build.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([join(src, 'index.ts')], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const resolve = (symbol: ts.Symbol): ts.Symbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const index = checker.getSymbolAtLocation(program.getSourceFile(join(src, 'index.ts'))!)!;
  const exported = new Set(checker.getExportsOfModule(index).map(resolve));
  const forgotten = new Map<string, Set<string>>();

  const isPrivate = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  function visitTypes(node: ts.Node, owner: string): void {
    if (isPrivate(node) || ts.isBlock(node)) return; // private members; function bodies
    if (ts.isPrivateIdentifier(node)) return;
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      const symbol = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
      const target = symbol && resolve(symbol);
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

describe('the public API', () => {
  it('exports every type its exported declarations name', () => {
    expect(forgottenExports()).toEqual([]);
  }, 60_000);
});
