import { readFileSync } from 'node:fs';

/** mailwright's version, read from its package.json (two folders up from both src/cli and dist/cli). */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
