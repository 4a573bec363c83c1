import { resolve } from 'node:path';
import { runQuickstart } from './quickstart-demo.js';

const dataDir = resolve(process.env.MAILWRIGHT_QUICKSTART_DIR ?? '.mailwright');
const result = await runQuickstart(dataDir, (line) => console.log(line));
console.log(`\nEmail history (${result.databaseFile}):`);
console.log(result.table);
