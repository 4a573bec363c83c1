import { addressProblem } from '../message/address.js';
import { ADDRESS_FORMAT } from './settings-fields.js';

/**
 * The JSON Schema formats the settings schemas use, with their checks: register them with
 * your validator so that it gives mailwright's verdict (ajv: `ajv.addFormat(name, check)`).
 * `mailwright-address`: an email address as `send()` accepts it, internationalized and
 * quoted ones included (white space around it is trimmed), which no standard format
 * (`email`, `idn-email`) matches exactly.
 */
export const settingsFormats: Readonly<Record<string, (value: string) => boolean>> = {
  [ADDRESS_FORMAT]: (value) => addressProblem(value.trim()) === undefined,
};
