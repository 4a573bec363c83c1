import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Every ```ts block of README.md and docs/ compiles against the package, as an application
 * compiling strictly (with exactOptionalPropertyTypes) would compile it. The conventions a block
 * may rely on are in docs/contributing.md ("Code in the docs").
 */
const root = join(import.meta.dirname, '..', '..');

/** What every block may use without declaring it. */
const GLOBALS = `
declare const mailwright: import('mailwright').Mailwright;
declare const users: import('mailwright').UserDirectory;
declare const providers: import('mailwright').Provider[];
`;

interface Block {
  /** "docs/history.md:30": where the fence opens. */
  where: string;
  /** The block's code. */
  code: string;
  /** What the block assumes: the TypeScript of the `<!-- ts-assume … -->` comment just above it. */
  assumed: string;
  /** The Markdown line of the block's first line of code (1-based). */
  firstLine: number;
}

function markdownFiles(): string[] {
  const found = [join(root, 'README.md')];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(dir, entry.name));
      else if (entry.name.endsWith('.md')) found.push(join(dir, entry.name));
    }
  };
  visit(join(root, 'docs'));
  return found;
}

/** The `<!-- ts-assume … -->` comment that ends just above a fence (only blank lines between). */
const ASSUME = /<!--\s*ts-assume\b((?:(?!-->)[\s\S])*)-->\s*$/;

function extractBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`${relative(root, file)}:${i + 1}: the code block is not closed`);
    const above = lines.slice(0, i).join('\n');
    blocks.push({ where: `${relative(root, file)}:${i + 1}`, code: lines.slice(i + 1, end).join('\n'), assumed: ASSUME.exec(above)?.[1]?.trim() ?? '', firstLine: i + 2 });
    i = end;
  }
  return blocks;
}

/** The names a block declares or imports at its top level (they shadow the package's exports). */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of ts.createSourceFile('block.mts', code, ts.ScriptTarget.ES2022).statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const { name, namedBindings } = statement.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) names.add(namedBindings.name.text);
      if (namedBindings && ts.isNamedImports(namedBindings)) namedBindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

const blocks = markdownFiles().flatMap(extractBlocks);

/** `mailwright`, `mailwright/admin`… → their sources, from package.json's exports (`./dist/admin/index.d.ts` → src/admin/index.ts). */
function entryPointPaths(): Record<string, string[]> {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> };
  return Object.fromEntries(
    Object.entries(exports).map(([subpath, { types }]) => [subpath === '.' ? 'mailwright' : `mailwright/${subpath.slice(2)}`, [types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')]]),
  );
}

describe('the TypeScript in README.md and docs/ compiles against the package (strict, exactOptionalPropertyTypes)', () => {
  const diagnostics = new Map<string, string[]>();

  beforeAll(() => {
    const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const { options: base } = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const options: ts.CompilerOptions = {
      ...base,
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      declaration: false,
      sourceMap: false,
      types: ['node'],
      baseUrl: root,
      // The package as an application imports it: each entry point of package.json's exports, from its source.
      paths: entryPointPaths(),
    };
    const index = join(root, 'src', 'index.ts');
    const exportsProgram = ts.createProgram([index], options);
    const checker = exportsProgram.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(exportsProgram.getSourceFile(index)!)!).map((symbol) => symbol.name);

    // Each block is a module of its own. One that imports nothing from mailwright sees every export.
    const virtual = new Map<string, { text: string; block: Block; offset: number }>();
    const globals = join(root, '.docs-check', 'globals.d.ts');
    blocks.forEach((block, n) => {
      const own = declaredNames(`${block.assumed}\n${block.code}`);
      const imports = /from\s+['"]mailwright['"]/.test(block.code) ? '' : `import { ${exported.filter((name) => !own.has(name)).join(', ')} } from 'mailwright';`;
      const head = [imports, block.assumed].filter(Boolean).join('\n');
      const text = `${head}\n${block.code}\nexport {};\n`;
      virtual.set(join(root, '.docs-check', `block-${n}.mts`), { text, block, offset: head.split('\n').length });
    });
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    const text = (name: string): string | undefined => (name === globals ? GLOBALS : virtual.get(name)?.text);
    host.getSourceFile = (name, language, ...rest) => {
      const source = text(name);
      return source !== undefined ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language, ...rest);
    };
    host.fileExists = (name) => text(name) !== undefined || fileExists.call(host, name);
    host.readFile = (name) => text(name) ?? readFile.call(host, name);

    const program = ts.createProgram([globals, ...virtual.keys()], options, host, exportsProgram);
    for (const [name, { block, offset }] of virtual) {
      const source = program.getSourceFile(name)!;
      const found = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
        const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
        const where = line < offset ? `${block.where} (in what it assumes)` : `${block.where.split(':')[0]}:${block.firstLine + line - offset}`;
        return `${where}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      diagnostics.set(block.where, found);
    }
  }, 120_000);

  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(20);
  });

  it.each(blocks.map((block) => [block.where]))('%s', (where) => {
    expect(diagnostics.get(where)).toEqual([]);
  });
});
