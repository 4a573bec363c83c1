import { isIP } from 'node:net';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { asciiDomain } from './ascii-domain.js';
import type { Address, AddressInput } from './message.js';

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, 'u');
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// eslint-disable-next-line no-control-regex -- CR, LF and other control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

function invalid(field: string, value: string, why: string): MailwrightError {
  return new MailwrightError(ErrorCodes.INVALID_ADDRESS, `Invalid email address in "${field}": ${JSON.stringify(value)} — ${why}.`, {
    fix: 'Write the address as user@example.com or "Display Name <user@example.com>".',
    details: { field, value },
  });
}

/** Why an address spec (user@domain) is invalid, or undefined when it is valid. */
export function addressProblem(spec: string): string | undefined {
  if (CONTROL.test(spec)) return 'it contains a line break or control character';
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) return 'it needs a user name, an @ and a domain';
  const local = spec.slice(0, at);
  const domain = spec.slice(at + 1);
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2) {
    if (/(^|[^\\])"/.test(local.slice(1, -1)) || local.slice(1, -1).endsWith('\\')) return 'the quoted user name is not closed properly';
  } else if (!DOT_ATOM.test(local)) {
    return local.includes('@') ? 'it has more than one @' : 'the user name has spaces or characters that need quoting';
  }
  if (Buffer.byteLength(local) > 64) return 'the user name is longer than 64 characters';
  if (Buffer.byteLength(spec) > 254) return 'it is longer than 254 characters';
  if (domain.startsWith('[') && domain.endsWith(']')) {
    return isIP(domain.slice(1, -1).replace(/^IPv6:/i, '')) ? undefined : 'the address literal is not an IP address';
  }
  const ascii = asciiDomain(domain);
  if (ascii === '' || ascii.endsWith('.')) return `"${domain}" is not a valid domain`;
  const labels = ascii.split('.');
  if (!labels.every((l) => LABEL.test(l))) return `"${domain}" is not a valid domain`;
  if (labels.length < 2 && ascii.toLowerCase() !== 'localhost') return `"${domain}" is a single-label domain: use the full domain, e.g. ${domain}.com`;
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return `"${domain}" is not a valid domain`;
  return undefined;
}

/** Splits "a@b.c, Name <d@e.f>" at top-level commas/semicolons (not inside quotes or <>). */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle += 1;
    else if (!quoted && ch === '>') angle -= 1;
    if (!quoted && angle === 0 && (ch === ',' || ch === ';')) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseText(text: string, field: string): Address {
  if (CONTROL.test(text)) throw invalid(field, text, 'it contains a line break or control character');
  const trimmed = text.trim();
  if (/^[^"@<]*:/.test(trimmed)) throw invalid(field, text, 'group syntax (Name: a@b;) is not supported; list the addresses');
  const angled = /^(.*?)<([^<>]*)>$/s.exec(trimmed);
  if (angled === null) {
    if (/[<>]/.test(trimmed)) throw invalid(field, text, 'the <…> around the address are not balanced');
    const problem = addressProblem(trimmed);
    if (problem !== undefined) throw invalid(field, text, problem);
    return { address: trimmed };
  }
  const rawName = (angled[1] ?? '').trim();
  const address = (angled[2] ?? '').trim();
  const problem = addressProblem(address);
  if (problem !== undefined) throw invalid(field, text, problem);
  const name = /^".*"$/s.test(rawName) ? rawName.slice(1, -1).replace(/\\(.)/g, '$1') : rawName;
  return name === '' ? { address } : { name, address };
}

/**
 * Parses one address: "user@example.com", "Display Name <user@example.com>" or an
 * {@link Address}. Display name and address casing are kept exactly. Throws
 * MW_INVALID_ADDRESS naming the field.
 */
export function parseAddress(input: AddressInput, field: string): Address {
  if (typeof input === 'string') {
    const parts = splitList(input);
    if (parts.length !== 1) throw invalid(field, input, parts.length === 0 ? 'it is empty' : 'only one address is allowed here');
    return parseText(input, field);
  }
  if (input === null || typeof input !== 'object' || typeof input.address !== 'string') {
    throw invalid(field, String(input), 'expected a string or { name, address }');
  }
  const problem = addressProblem(input.address.trim());
  if (problem !== undefined) throw invalid(field, input.address, problem);
  if (input.name !== undefined && CONTROL.test(input.name)) throw invalid(field, input.name, 'the display name contains a line break or control character');
  return input.name === undefined || input.name === '' ? { address: input.address.trim() } : { name: input.name, address: input.address.trim() };
}

/** Parses a list of addresses (array, or one string with commas). Fields are named `field[i]`. */
export function parseAddressList(input: AddressInput | readonly AddressInput[] | undefined, field: string): Address[] {
  if (input === undefined) return [];
  const items: AddressInput[] = Array.isArray(input) ? [...(input as AddressInput[])] : typeof input === 'string' ? splitList(input) : [input as Address];
  return items.map((item, i) => parseAddress(item, items.length > 1 ? `${field}[${i}]` : field));
}

/** The domain part of an address (after the last @), as written. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** Formats an address for display and headers: `"Name, Jr." <a@b.c>` (quoting only when needed). */
export function formatAddress(a: Address): string {
  if (a.name === undefined || a.name === '') return a.address;
  const name = /^[\p{L}\p{N} !#$%&'*+/=?^_`{|}~.-]*$/u.test(a.name) ? a.name : `"${a.name.replace(/(["\\])/g, '\\$1')}"`;
  return `${name} <${a.address}>`;
}
