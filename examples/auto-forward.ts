import { resolve } from 'node:path';
import { runAutoForwardDemo } from './auto-forward-demo.js';

const result = await runAutoForwardDemo(resolve(process.env.MAILWRIGHT_QUICKSTART_DIR ?? '.mailwright'), (line) => console.log(line));
console.log('\nHistory of the forwards:');
for (const record of result.history) {
  console.log(`  ${record.status.padEnd(8)} ${record.recipients.map((r) => r.address).join(', ')}${record.blockedReason ? `\n           ${record.blockedReason}\n           Fix: ${record.failure?.fix ?? ''}` : ''}`);
}
console.log('\nAudit (mailwright forwarding audit):');
for (const line of result.audit) console.log(`  ${line}`);
