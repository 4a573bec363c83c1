import { writeFile } from 'node:fs/promises';
import { renderTroubleshooting } from './troubleshooting-doc.js';

await writeFile(new URL('../docs/troubleshooting.md', import.meta.url), renderTroubleshooting());
console.log('docs/troubleshooting.md written');
