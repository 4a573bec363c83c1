import { ErrorCodes } from '../../src/errors/error-codes.js';
import { TemplateCatalog } from '../../src/templates/template-catalog.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';
import { approval } from './approval-template.js';

const data = { user: { name: 'Ana' }, doc: 'PO-7' };
const variant = (subject: string) => ({ en: { subject, text: subject } });

/** System template, an organization template shared by every organization, and one of USMF's own. */
function catalog(): { catalog: TemplateCatalog; organization: InMemoryTemplateSource } {
  const organization = new InMemoryTemplateSource([{ ...approval, senderEmail: 'shared@contoso.com', variants: variant('SHARED {{ doc }}') }]);
  organization.put({ ...approval, organizationId: 'USMF', senderEmail: 'usmf@contoso.com', variants: variant('USMF {{ doc }}') });
  return { catalog: new TemplateCatalog({ system: new InMemoryTemplateSource([approval]), organization }), organization };
}

describe('organization-scoped templates and the workflow level (issue 26 item 4)', () => {
  it('by default an organization template overrides the system one: the organization\'s own, else the shared one, else the system one', async () => {
    const { catalog: c, organization } = catalog();
    const usmf = await c.render('approval', { data, organizationId: 'USMF' });
    expect([usmf.origin, usmf.organizationId, usmf.subject, usmf.from.address]).toEqual(['organization', 'USMF', 'USMF PO-7', 'usmf@contoso.com']);
    const demf = await c.render('approval', { data, organizationId: 'DEMF' });
    expect([demf.origin, demf.organizationId, demf.subject]).toEqual(['organization', undefined, 'SHARED PO-7']);
    expect((await c.render('approval', { data })).subject).toBe('SHARED PO-7');
    organization.delete('approval');
    expect((await c.render('approval', { data, organizationId: 'DEMF' })).origin).toBe('system');
    expect((await c.render('approval', { data, organizationId: 'USMF' })).subject).toBe('USMF PO-7');
    organization.delete('approval', 'USMF');
    expect((await c.render('approval', { data, organizationId: 'USMF' })).origin).toBe('system');
  });

  it('level "system" (a system workflow) uses the system template even when an organization has its own', async () => {
    const rendered = await catalog().catalog.render('approval', { data, organizationId: 'USMF', level: 'system' });
    expect([rendered.origin, rendered.subject, rendered.from.address]).toEqual(['system', 'Approve PO-7', 'workflow@contoso.com']);
  });

  it('level "organization" (an organization\'s workflow) uses the organization template only: none for the id is MW_TEMPLATE_NOT_FOUND naming the organization', async () => {
    const { catalog: c } = catalog();
    expect((await c.render('approval', { data, organizationId: 'USMF', level: 'organization' })).subject).toBe('USMF PO-7');
    const onlySystem = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]), organization: new InMemoryTemplateSource() });
    await expect(onlySystem.render('approval', { data, organizationId: 'USMF', level: 'organization' })).rejects.toMatchObject({
      code: ErrorCodes.TEMPLATE_NOT_FOUND,
      message: expect.stringContaining('organization "USMF"'),
      fix: expect.stringContaining('Create the organization template "approval" for "USMF"'),
      details: { templateId: 'approval', organizationId: 'USMF', level: 'organization' },
    });
  });

  it('a level that is neither "system" nor "organization" is MW_INVALID_SETTINGS', async () => {
    await expect(catalog().catalog.render('approval', { data, level: 'company' as never })).rejects.toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, details: { field: 'level' } });
  });

  it('an organization source that knows nothing of organizations (a get(id) of one argument) keeps working as before', async () => {
    const legacy = { get: async (id: string) => (id === 'approval' ? { ...approval, variants: variant('LEGACY {{ doc }}') } : undefined) };
    const c = new TemplateCatalog({ system: new InMemoryTemplateSource([approval]), organization: legacy });
    expect((await c.render('approval', { data, organizationId: 'USMF' })).subject).toBe('LEGACY PO-7');
  });
});
