import { resolve } from 'node:path';
import { runCustomProviderDemo } from './custom-provider-demo.js';

const result = await runCustomProviderDemo(resolve(process.env.MAILWRIGHT_QUICKSTART_DIR ?? '.mailwright'), (line) => console.log(line));
console.log(`\nThe API accepted ${result.accepted.length} message(s). Email history:`);
console.log(result.table);
