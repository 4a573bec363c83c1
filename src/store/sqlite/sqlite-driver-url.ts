import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** better-sqlite3's entry point, as a URL a worker thread can import(). */
export const SQLITE_DRIVER_URL = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;
