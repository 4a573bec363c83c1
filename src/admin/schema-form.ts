import { CLEAR_FIELD } from '../parameters/settings-from-form.js';
import type { JsonSchema } from '../parameters/json-schemas.js';
import { html, type SafeHtml } from './html.js';

/** What a settings form shows besides its schema. */
export interface SchemaFormState {
  /** The fields' values as text, by dotted path (what was stored, or what was just submitted). */
  values: Readonly<Record<string, string | undefined>>;
  /** The message of each bad field, by dotted path. */
  errors: Readonly<Record<string, string>>;
  /** Secret fields (and nullable objects) that have a stored value: shown as stored, with a way to clear them. */
  stored?: ReadonlySet<string>;
  /** Labels of enum values (provider ids → their display names). */
  choices?: Readonly<Record<string, string>>;
  /** The label of the empty choice of a select, by dotted path (e.g. "None"). */
  emptyChoice?: Readonly<Record<string, string>>;
  /** A hint under a field, by dotted path (e.g. a provider's automatic limit). */
  hints?: Readonly<Record<string, string>>;
}

type Node = JsonSchema & {
  type?: string;
  anyOf?: Node[];
  properties?: Record<string, Node>;
  propertyNames?: Node;
  enum?: unknown[];
  required?: string[];
  title?: string;
  description?: string;
  default?: unknown;
  writeOnly?: boolean;
};

/** Fields whose value is a PEM block: several lines. */
const MULTILINE = new Set(['ca', 'x5c', 'privateKey']);

/** The HTML id of the field at a dotted path. */
export const fieldId = (path: string): string => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A nested object's values as text by dotted path (booleans as "true"/"false"). */
export function flatValues(value: unknown, prefix = ''): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  const flat: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    const path = `${prefix}${name}`;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) Object.assign(flat, flatValues(v, `${path}.`));
    else if (v !== undefined && v !== null) flat[path] = String(v);
  }
  return flat;
}

/** The form's values as text, from a submitted form (the last value of each name wins). */
export const submittedValues = (form: URLSearchParams): Record<string, string> => Object.fromEntries(form.entries());

function describedBy(id: string, hint: boolean, error: boolean): SafeHtml | string {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids === '' ? '' : html` aria-describedby="${ids}"`;
}

function fieldParts(path: string, node: Node, state: SchemaFormState) {
  const id = fieldId(path);
  const hintText = [node.description, state.hints?.[path]].filter(Boolean).join(' ');
  const error = state.errors[path];
  return {
    id,
    hint: hintText ? html`<p class="hint" id="${id}-hint">${hintText}</p>` : '',
    error: error !== undefined ? html`<p class="error" id="${id}-error">${error}</p>` : '',
    aria: html`${describedBy(id, hintText !== '', error !== undefined)}${error !== undefined ? html` aria-invalid="true"` : ''}`,
  };
}

function renderField(path: string, name: string, outer: Node, state: SchemaFormState, required: boolean): SafeHtml {
  const node = outer.anyOf?.find((member) => member.type !== 'null') ?? outer;
  const label = outer.title ?? name;
  const value = state.values[path];
  const { id, hint, error, aria } = fieldParts(path, outer, state);
  const requiredMark = required ? html` <span class="muted">(required)</span>` : '';

  if (node.type === 'object' && node.propertyNames?.enum !== undefined) {
    // A record keyed by provider id: one field per provider.
    const keys = node.propertyNames.enum.map(String);
    const inner = (node.additionalProperties ?? {}) as Node;
    return html`<fieldset class="field" id="${id}"><legend>${label}</legend>${hint}${error}<div class="row">${keys.map((key) =>
      renderField(`${path}.${key}`, key, { ...inner, title: state.choices?.[key] ?? key, description: undefined }, state, false),
    )}</div></fieldset>`;
  }
  if (node.type === 'object') {
    const clear = state.stored?.has(path) ? clearBox(path, `Remove the stored ${label.toLowerCase()}`) : '';
    return html`<fieldset class="field" id="${id}"><legend>${label}</legend>${hint}${error}${fields(node, state, `${path}.`)}${clear}</fieldset>`;
  }
  if (node.type === 'boolean' && outer.default !== undefined) {
    const checked = value === undefined ? outer.default === true : value === 'true';
    return html`<div class="field checkbox"><input type="hidden" name="${path}" value="false"><input type="checkbox" id="${id}" name="${path}" value="true"${checked ? html` checked` : ''}${aria}><label for="${id}">${label}</label>${hint}${error}</div>`;
  }
  if (node.type === 'boolean' || node.enum !== undefined) {
    const options: [string, string][] =
      node.type === 'boolean'
        ? [
            ['true', 'Yes'],
            ['false', 'No'],
          ]
        : node.enum!.map((v) => [String(v), state.choices?.[String(v)] ?? String(v)]);
    const empty = state.emptyChoice?.[path] ?? 'Default';
    return html`<div class="field"><label for="${id}">${label}${requiredMark}</label>${hint}<select id="${id}" name="${path}"${aria}><option value="">${empty}</option>${options.map(
      ([v, text]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${text}</option>`,
    )}</select>${error}</div>`;
  }
  if (outer.writeOnly) {
    const stored = state.stored?.has(path) ?? false;
    const storedHint = stored ? html`<p class="hint" id="${id}-stored"><strong>A value is stored.</strong> Leave this empty to keep it.</p>` : '';
    const input = MULTILINE.has(name)
      ? html`<textarea id="${id}" name="${path}" autocomplete="off" spellcheck="false"${aria}></textarea>`
      : html`<input type="password" id="${id}" name="${path}" autocomplete="new-password"${aria}>`;
    return html`<div class="field"><label for="${id}">${label}${requiredMark}</label>${hint}${storedHint}${input}${error}${stored ? clearBox(path, `Clear the stored ${label.toLowerCase()}`) : ''}</div>`;
  }
  if (MULTILINE.has(name)) {
    return html`<div class="field"><label for="${id}">${label}${requiredMark}</label>${hint}<textarea id="${id}" name="${path}" spellcheck="false"${aria}>${value ?? ''}</textarea>${error}</div>`;
  }
  const type = node.type === 'integer' || node.type === 'number' ? 'number' : 'text';
  const placeholder = outer.default !== undefined && typeof outer.default !== 'object' ? html` placeholder="${String(outer.default)}"` : '';
  return html`<div class="field"><label for="${id}">${label}${requiredMark}</label>${hint}<input type="${type}"${type === 'number' ? html` step="any" inputmode="numeric"` : ''} id="${id}" name="${path}" value="${value ?? ''}"${placeholder}${required ? html` aria-required="true"` : ''}${aria}>${error}</div>`;
}

const clearBox = (path: string, label: string): SafeHtml => {
  const id = `${fieldId(path)}-clear`;
  return html`<div class="field checkbox"><input type="checkbox" id="${id}" name="${CLEAR_FIELD}" value="${path}"><label for="${id}">${label}</label></div>`;
};

/** The fields of an object schema, in its order. */
function fields(schema: Node, state: SchemaFormState, prefix = ''): SafeHtml[] {
  return Object.entries(schema.properties ?? {}).map(([name, property]) => renderField(`${prefix}${name}`, name, property, state, (schema.required ?? []).includes(name)));
}

/** The fields of a settings schema (annotated by `settingsJsonSchemas()`): labels, hints and messages from the catalogue. */
export function schemaFields(schema: JsonSchema, state: SchemaFormState): SafeHtml {
  return html`${fields(schema as Node, state)}`;
}

/** The list of bad fields at the top of a form, each a link to its field; focused so that it is read first. */
export function errorSummary(errors: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> = {}): SafeHtml | '' {
  const entries = Object.entries(errors);
  if (entries.length === 0) return '';
  return html`<div class="notice bad" role="alert" tabindex="-1" autofocus><p><strong>${entries.length === 1 ? 'One field needs' : `${entries.length} fields need`} correcting:</strong></p><ul>${entries.map(
    ([path, message]) => html`<li><a href="#${fieldId(path)}">${labels[path] ?? path}</a>: ${message}</li>`,
  )}</ul></div>`;
}

/** The label of each field by dotted path, for the error summary. */
export function fieldLabels(schema: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, property] of Object.entries(properties)) {
    if (typeof property.title === 'string') out[`${prefix}${name}`] = property.title;
    const inner = ((property.anyOf as Record<string, unknown>[] | undefined)?.find((m) => m.type === 'object') ?? property) as Record<string, unknown>;
    if (inner.properties !== undefined) Object.assign(out, fieldLabels(inner, `${prefix}${name}.`));
  }
  return out;
}

