import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

/** Type errors of `source`, compiled as a file of test/users/ with the project's options and `extra`. */
function typeErrors(source: string, extra: ts.CompilerOptions): string[] {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const file = join(root, 'test', 'users', 'host-settings-screen.ts');
  const host = ts.createCompilerHost({ ...options, ...extra });
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = (name) => name === file || ts.sys.fileExists(name);
  host.getSourceFile = (name, language) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language));
  const program = ts.createProgram([file], { ...options, ...extra, noEmit: true, types: ['node'] }, host);
  // Only the host's file: the library's own sources are not compiled with the host's options (hosts read its .d.ts).
  const sourceFile = program.getSourceFile(file)!;
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('UserDirectory.updateOptions takes what the user email options schema returns', () => {
  // A host compiling with exactOptionalPropertyTypes hands the schema's output (optional
  // fields typed `string | undefined`) to its directory: that must compile.
  const screen = `
    import { settingsFromForm, userEmailOptionsSchema, type UserDirectory } from '../../src/index.js';
    export async function save(users: UserDirectory, body: Record<string, string>): Promise<void> {
      await users.updateOptions('ana', userEmailOptionsSchema.parse(body));
      const form = settingsFromForm('userEmailOptions', body);
      if (form.success) await users.updateOptions('ana', form.data);
      await users.updateOptions('ana', { senderEmail: undefined, language: 'fr' });
      // The check is not vacuous: an option of the wrong type is still refused.
      // @ts-expect-error language is text
      await users.updateOptions('ana', { language: 42 });
    }
  `;

  it('compiles under exactOptionalPropertyTypes', () => {
    expect(typeErrors(screen, { exactOptionalPropertyTypes: true, strict: true })).toEqual([]);
  }, 60_000);
});
