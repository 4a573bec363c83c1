import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { DEFAULT_FORWARD_THEME_ID, defaultForwardTheme } from '../../src/forwarding/default-forward-theme.js';
import { createMailwright } from '../../src/mailwright.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { EmailTemplate } from '../../src/templates/email-template.js';
import { TemplateCatalog } from '../../src/templates/template-catalog.js';
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from '../../src/templates/template-limits.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';

const child = join(import.meta.dirname, 'fixtures', 'render-in-child.ts');

/**
 * Renders a template in a child process whose heap is capped at 256 MB; its outcome, or how it died.
 * A render that never ends is killed after a minute (a safety net, not a measure: it fails the test).
 */
async function renderInChild(part: 'subject' | 'html' | 'text', source: string): Promise<{ exit: number | null; signal: string | null; outcome?: Record<string, unknown>; stderr: string }> {
  const proc = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', child, JSON.stringify({ part, source })], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [exit, signal] = (await once(proc, 'exit')) as [number | null, string | null];
  const line = stdout.trim().split('\n').pop();
  return { exit, signal, stderr: stderr.slice(-2000), ...(line ? { outcome: JSON.parse(line) as Record<string, unknown> } : {}) };
}

// Each would kill the host process (a V8 fatal error nothing can catch) or hold its thread for
// minutes without limits; with them, each is MW_TEMPLATE_RENDER_FAILED naming the limit.
const HOSTILE: [string, 'subject' | 'html' | 'text', string, string][] = [
  ['the billion-iteration loop', 'text', '{% for i in (1..1000000000) %}{% endfor %}', 'memory'],
  ['nested loops (a billion iterations, no big range)', 'html', '{% for i in (1..40000) %}{% for j in (1..40000) %}{% endfor %}{% endfor %}', 'render'],
  ['| append doubling with | upcase copies', 'text', '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s | upcase %}{% endfor %}{{ s | size }}', 'memory'],
  ['capture doubling, then a search that copies the string', 'subject', '{% capture s %}xxxxxxxxxx{% endcapture %}{% for i in (1..26) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{% if s contains "y" %}y{% endif %}', 'memory'],
  ['capture doubling written to the output', 'text', '{% capture s %}€€€€€€€€€€{% endcapture %}{% for i in (1..24) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s }}', 'memory'],
  ['a huge array built with concat', 'text', '{% assign a = "x,x,x,x,x,x,x,x" | split: "," %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}', 'memory'],
  // One filter over a large array: LiquidJS checks the time only between tags, after the filter has run (tens of seconds).
  ['| map over two million items, the last tag', 'text', '{% assign a = (1..2000000) | map: "x" %}', 'render'],
  ['| where_exp over two million items, the last tag', 'html', '{% assign a = (1..2000000) | where_exp: "i", "i > 0" %}', 'render'],
];

describe('template render limits: a hostile template fails in bounded time and memory', () => {
  it.each(HOSTILE)('%s → MW_TEMPLATE_RENDER_FAILED (%s part), the process survives', async (_name, part, source, limit) => {
    const result = await renderInChild(part, source);
    expect({ exit: result.exit, signal: result.signal, stderr: result.exit === 0 ? '' : result.stderr }).toEqual({ exit: 0, signal: null, stderr: '' });
    expect(result.outcome).toMatchObject({ code: ErrorCodes.TEMPLATE_RENDER_FAILED, details: { templateId: 'hostile', part, limit } });
  }, 90_000);
});

describe('template render limits: defaults and configuration', () => {
  const template = (source: string): EmailTemplate => ({ id: 'org', defaultLanguage: 'en', senderEmail: 'workflow@contoso.com', variants: { en: { subject: 'Notice', text: source } } });
  const render = (source: string, limits?: TemplateLimits, data: Record<string, unknown> = {}) =>
    new TemplateCatalog({ organization: new InMemoryTemplateSource([template(source)]) }, limits).render('org', { data });

  it('a template longer than the parse limit is refused before it is parsed', async () => {
    const error = await expectMailwrightError(render('x'.repeat(DEFAULT_TEMPLATE_LIMITS.parseLimit + 1)), ErrorCodes.TEMPLATE_RENDER_FAILED);
    expect(error.details).toMatchObject({ part: 'text', limit: 'parse' });
    expect(error.message).toBe('The template "org" (en, text) is longer than the parse limit of 1,000,000 characters.');
    expect(error.fix).toContain('templateLimits.parseLimit');
    expect((await render('x'.repeat(DEFAULT_TEMPLATE_LIMITS.parseLimit))).text).toHaveLength(DEFAULT_TEMPLATE_LIMITS.parseLimit);
  });

  it('output over the output limit fails, the limit itself passes', async () => {
    const data = { line: 'x'.repeat(1000) };
    const error = await expectMailwrightError(render('{% for i in (1..5001) %}{{ line }}{% endfor %}', undefined, data), ErrorCodes.TEMPLATE_RENDER_FAILED);
    expect(error.details).toMatchObject({ limit: 'output' });
    expect((await render('{% for i in (1..5000) %}{{ line }}{% endfor %}', undefined, data)).text).toHaveLength(5_000_000);
  });

  it('each limit is configurable', async () => {
    expect((await expectMailwrightError(render('abcdef', { parseLimit: 5 }), ErrorCodes.TEMPLATE_RENDER_FAILED)).details.limit).toBe('parse');
    expect((await expectMailwrightError(render('{{ "abc" | append: "def" }}', { outputLimit: 5 }), ErrorCodes.TEMPLATE_RENDER_FAILED)).details.limit).toBe('output');
    expect((await expectMailwrightError(render('{% for i in (1..1000) %}{% endfor %}', { memoryLimit: 999 }), ErrorCodes.TEMPLATE_RENDER_FAILED)).details.limit).toBe('memory');
    expect((await render('{% for i in (1..1000) %}{% endfor %}done', { memoryLimit: 1000 })).text).toBe('done');
    const slow = await expectMailwrightError(render('{% for i in (1..1000000) %}{{ i }}{% endfor %}', { renderLimit: 1 }), ErrorCodes.TEMPLATE_RENDER_FAILED);
    expect(slow.details.limit).toBe('render');
    expect(slow.message).toMatch(/^The template "org" \(en, text\) took longer than the render limit of 1 ms/);
  });

  it('a capture counts against the memory limit', async () => {
    const source = '{% capture s %}xxxxxxxxxx{% endcapture %}{% for i in (1..10) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}';
    expect((await render(source, { memoryLimit: 30_000 })).text).toBe('10240');
    expect((await expectMailwrightError(render(source, { memoryLimit: 10_000 }), ErrorCodes.TEMPLATE_RENDER_FAILED)).details.limit).toBe('memory');
  });

  it('createMailwright({ templateLimits }) applies to notify(); bad values are MW_INVALID_SETTINGS', async () => {
    const users = new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { emailNotifications: true } }]);
    const mailwright = await createMailwright({
      store: createSqliteStore({ filename: ':memory:' }),
      providers: [emlProvider({ write: false })],
      users,
      templates: { organization: new InMemoryTemplateSource([template('{% for i in (1..100) %}{{ i }}{% endfor %}')]) },
      templateLimits: { outputLimit: 50 },
    });
    try {
      const error = await expectMailwrightError(mailwright.notify({ userIds: ['ana'], templateId: 'org', data: {} }), ErrorCodes.TEMPLATE_RENDER_FAILED);
      expect(error.details).toMatchObject({ limit: 'output', templateId: 'org' });
      expect((await mailwright.history.list({})).items).toEqual([]);
    } finally {
      await mailwright.close();
    }
    for (const templateLimits of [{ renderLimit: 0 }, { memoryLimit: 1.5 }, { outputLimit: '10' }, { renderlimit: 10 }]) {
      await expectMailwrightError(createMailwright({ store: createSqliteStore({ filename: ':memory:' }), providers: [], users, templateLimits: templateLimits as TemplateLimits }), ErrorCodes.INVALID_SETTINGS);
    }
  });

  it('the default limits leave room for a long record conversation in the built-in forward theme', async () => {
    const conversation = Array.from({ length: 400 }, (_, i) => ({ from: `agent${i}@contoso.com`, sentAt: '2026-11-24T10:00:00Z', text: `Line one of message ${i} <b>&</b>\n`.repeat(50) }));
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([defaultForwardTheme]) });
    const rendered = await catalog.renderContent(DEFAULT_FORWARD_THEME_ID, { data: { record: { id: 'CASE-1', subject: 'Printer', conversation }, comment: 'FYI', agent: { name: 'Ana', email: 'ana@contoso.com' }, links: [] } });
    expect(rendered.html?.length).toBeGreaterThan(800_000);
    expect(rendered.text?.length).toBeGreaterThan(600_000);
    expect(rendered.text).toContain('Line one of message 399');
  });
});
