import { resolve } from 'node:path';
import { formatJournalEntry, runForwardCaseDemo } from './forward-case-demo.js';

const result = await runForwardCaseDemo(resolve(process.env.MAILWRIGHT_QUICKSTART_DIR ?? '.mailwright'), (line) => console.log(line));
console.log(`\nJournal of CASE-1042 (${result.journal.length} entries):`);
for (const entry of result.journal) console.log(formatJournalEntry(entry));
