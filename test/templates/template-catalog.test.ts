import { ErrorCodes } from '../../src/errors/error-codes.js';
import { isMailwrightError, type MailwrightError } from '../../src/errors/mailwright-error.js';
import { approval } from './approval-template.js';
import { pickLanguage } from '../../src/templates/pick-language.js';
import { TemplateCatalog } from '../../src/templates/template-catalog.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';


const caught = async (p: Promise<unknown>): Promise<MailwrightError> => {
  const error = await p.then(() => undefined, (e: unknown) => e);
  if (!isMailwrightError(error)) throw new Error(`expected a MailwrightError, got ${String(error)}`);
  return error;
};

describe('templates: resolution, language fallback, strict rendering', () => {
  const data = { user: { name: 'Ana' }, doc: 'PO-7 <urgent>' };

  it('an organization template overrides the system template with the same id; removing it reverts', async () => {
    const organization = new InMemoryTemplateSource([{ ...approval, senderEmail: 'approvals@contoso.com', variants: { en: { subject: 'ORG {{ doc }}', text: 'org' } } }]);
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]), organization });
    const org = await catalog.render('approval', { data });
    expect([org.origin, org.subject, org.from.address]).toEqual(['organization', 'ORG PO-7 <urgent>', 'approvals@contoso.com']);
    organization.delete('approval');
    const system = await catalog.render('approval', { data });
    expect([system.origin, system.subject, system.from]).toEqual(['system', 'Approve PO-7 <urgent>', { name: 'Contoso Workflow', address: 'workflow@contoso.com' }]);
    expect(isMailwrightError(await caught(catalog.render('nope', { data })), ErrorCodes.TEMPLATE_NOT_FOUND)).toBe(true);
  });

  it('falls back fr-CA → fr → the default language, case-insensitively', async () => {
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]) });
    expect((await catalog.render('approval', { language: 'fr-CA', data })).language).toBe('fr');
    expect((await catalog.render('approval', { language: 'FR', data })).text).toBe("Bonjour Ana, merci d'approuver PO-7 <urgent>.");
    expect((await catalog.render('approval', { language: 'de-AT', data })).language).toBe('en');
    expect((await catalog.render('approval', { data })).language).toBe('en');
    expect(pickLanguage(['en', 'pt-BR'], 'pt-br-x-custom', 'en')).toBe('pt-BR');
    expect(pickLanguage(['fr'], 'de', 'en')).toBeUndefined();
  });

  it('reads language tags written with an underscore (fr_CA, pt_BR) like their hyphenated form', async () => {
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([{ ...approval, variants: { ...approval.variants, 'pt-BR': { subject: 'Aprovar {{ doc }}', text: 'pt' } } }]) });
    expect((await catalog.render('approval', { language: 'fr_CA', data })).language).toBe('fr');
    expect((await catalog.render('approval', { language: 'pt_br', data })).language).toBe('pt-BR');
    expect(pickLanguage(['en', 'pt_BR'], 'PT-br', 'en')).toBe('pt_BR');
    expect(pickLanguage(['en_US', 'fr'], 'de', 'en-us')).toBe('en_US');
  });

  it('escapes HTML output by default, but not the subject or the text body', async () => {
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]) });
    const rendered = await catalog.render('approval', { data });
    expect(rendered.html).toBe('<p>Hello Ana, please approve PO-7 &lt;urgent&gt;.</p>');
    expect(rendered.text).toBe('Hello Ana, please approve PO-7 <urgent>.');
    expect(rendered.subject).toBe('Approve PO-7 <urgent>');
  });

  it('a missing variable is MW_TEMPLATE_RENDER_FAILED naming the template, language, part and variable', async () => {
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]) });
    const error = await caught(catalog.render('approval', { language: 'fr', data: { user: { name: 'Ana' } } }));
    expect(error.code).toBe(ErrorCodes.TEMPLATE_RENDER_FAILED);
    expect(error.message).toContain('template "approval" (fr, subject)');
    expect(error.details).toMatchObject({ templateId: 'approval', language: 'fr', part: 'subject', variable: 'doc' });
  });

  it('a syntax error or an unknown filter is MW_TEMPLATE_RENDER_FAILED with the position', async () => {
    const broken = { ...approval, id: 'broken', variants: { en: { subject: 'ok', text: 'Hi {% if %}', html: '{{ x | nofilter }}' } } };
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([broken]) });
    const error = await caught(catalog.render('broken', { data: { x: 1 } }));
    expect(error.code).toBe(ErrorCodes.TEMPLATE_RENDER_FAILED);
    expect(error.message).toMatch(/template "broken" \(en, html\).*undefined filter: nofilter/);
  });

  it('a subject that renders to two lines is refused', async () => {
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]) });
    const error = await caught(catalog.render('approval', { data: { user: { name: 'x' }, doc: 'a\r\nBcc: victim@example.com' } }));
    expect(error.code).toBe(ErrorCodes.TEMPLATE_RENDER_FAILED);
  });

  it.each([
    ['missing', undefined],
    ['invalid', 'workflow@'],
    ['not an address', 'Workflow team'],
  ])('a %s sender email is MW_TEMPLATE_SENDER_INVALID', async (_name, senderEmail) => {
    const template = { ...approval, id: 't', ...(senderEmail === undefined ? { senderEmail: undefined } : { senderEmail }) };
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([template]) });
    const error = await caught(catalog.render('t', { data }));
    expect(error.code).toBe(ErrorCodes.TEMPLATE_SENDER_INVALID);
    expect(error.fix).toContain('"t"');
  });

  it('a malformed template is refused with MW_INVALID_SETTINGS naming its fields', async () => {
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([{ id: 'bad', defaultLanguage: 'en', variants: { en: { subject: '' } } }]) });
    const error = await caught(catalog.render('bad', { data }));
    expect(error.code).toBe(ErrorCodes.INVALID_SETTINGS);
    expect(error.message).toContain('system template "bad"');
    expect(error.message).toContain('variants.en.subject');
  });

  it('a malformed stored template is reported as invalid where it is stored, not as a failed save', async () => {
    const organization = { get: async (id: string) => (id === 'bad' ? ({ id: 'bad', defaultLanguage: '', variants: { fr: { subject: '' } } } as never) : undefined) };
    const catalog = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]), organization });
    const error = await caught(catalog.render('bad', { data }));
    expect(error.code).toBe(ErrorCodes.INVALID_SETTINGS);
    expect(error.message).toMatch(/^The organization template "bad" is invalid and cannot be used; it has 3 problems:\n- defaultLanguage: /);
    expect(error.message).not.toMatch(/nothing was changed|save/i);
    expect(error.fix).toBe('Correct every field listed in the organization template "bad" where it is stored (e.g. the template settings screen).');
    expect(error.details).toMatchObject({ templateId: 'bad', origin: 'organization' });
    const one = await caught(new TemplateCatalog({ system: new InMemoryTemplateSource([{ ...approval, variants: { en: { subject: '', text: 'x' } } }]) }).render('approval', { data }));
    expect(one.message).toBe('The system template "approval" is invalid and cannot be used; it has 1 problem:\n- variants.en.subject: Enter a subject');
  });
});
