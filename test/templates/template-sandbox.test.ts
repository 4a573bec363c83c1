import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright } from '../../src/mailwright.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { EmailTemplate } from '../../src/templates/email-template.js';
import { TemplateCatalog } from '../../src/templates/template-catalog.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';

/** What an organization administrator could type into a template to read the host's files. */
const FILE_TAGS = (file: string): string[] => [
  `{% include '${file}' %}`,
  `{% render '${file}' %}`,
  `{% layout '${file}' %}body`,
  '{% include file %}',
  '{% render file %}',
  `{% include '${file}' with doc %}`,
];

describe('templates cannot reach the file system', () => {
  let dir: string;
  let secretFile: string;
  const SECRET = 'MAILWRIGHT_SECRET_KEY=c2VjcmV0LWtleS1vbi1kaXNr';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-template-files-'));
    secretFile = join(dir, '.env');
    await writeFile(secretFile, SECRET);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const template = (part: 'subject' | 'html' | 'text', source: string): EmailTemplate => ({
    id: 'org-notice',
    defaultLanguage: 'en',
    senderEmail: 'workflow@contoso.com',
    variants: { en: { subject: part === 'subject' ? source : 'Notice', ...(part === 'html' ? { html: source } : { text: part === 'text' ? source : 'x' }) } },
  });

  // package.json sits in the working directory, LiquidJS's default root; the .env file is named by a relative and an absolute path.
  const files = (): string[] => ['package.json', relative(process.cwd(), secretFile), secretFile];

  it.each(['subject', 'html', 'text'] as const)('include, render and layout in the %s are refused with MW_TEMPLATE_RENDER_FAILED, reading nothing', async (part) => {
    for (const file of files()) {
      for (const source of FILE_TAGS(file)) {
        const organization = new InMemoryTemplateSource([template(part, source)]);
        const error = await expectMailwrightError(new TemplateCatalog({ organization }).render('org-notice', { data: { file, doc: 'PO-7' } }), ErrorCodes.TEMPLATE_RENDER_FAILED);
        const tag = /\{% (\w+)/.exec(source)?.[1];
        expect(error.message).toContain(`uses {% ${tag} %}, which is not available: templates cannot read files or other templates.`);
        expect(error.details).toMatchObject({ templateId: 'org-notice', part, tag });
        expect(JSON.stringify({ message: error.message, details: error.details })).not.toMatch(/MAILWRIGHT_SECRET_KEY|"name": "mailwright"/);
      }
    }
  });

  it('notify() with an organization template that renders a file of the working directory queues nothing and leaks nothing', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    const mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [emlProvider({ write: false })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { emailNotifications: true } }]),
      clock,
      templates: { organization: new InMemoryTemplateSource([template('text', "Files: {% render 'package.json' %}")]) },
    });
    try {
      const error = await expectMailwrightError(mailwright.notify({ userIds: ['ana'], templateId: 'org-notice', data: {} }), ErrorCodes.TEMPLATE_RENDER_FAILED);
      expect(error.message).toContain('uses {% render %}, which is not available');
      expect((await mailwright.history.list({})).items).toEqual([]);
    } finally {
      await mailwright.close();
    }
  });
});
