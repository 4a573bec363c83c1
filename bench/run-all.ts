import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Each benchmark runs in its own process, so peak memory and timings do not mix.
// `npm run bench` runs the targets; `npm run bench <name>…` runs those named (a prefix is
// enough), including the diagnostics, which only run when named.
const targets = ['peers.ts', 'memory.ts', 'sqlite-scale.ts', 'postgres-scale.ts'];
const diagnostics = ['throughput.ts', 'postgres-outcomes.ts', 'throttle-real-clock.ts'];
const only = process.argv.slice(2);
const chosen = only.length === 0 ? targets : [...targets, ...diagnostics].filter((b) => only.some((o) => b.startsWith(o)));
if (chosen.length === 0) console.log(`No benchmark matches ${only.join(', ')}; there are ${[...targets, ...diagnostics].join(', ')}.`);
let failed = 0;
for (const bench of chosen) {
  // Compiled (npm run bench): run the .js siblings with plain node; from source: through tsx.
  const compiled = import.meta.url.endsWith('.js');
  const file = fileURLToPath(new URL(compiled ? bench.replace(/\.ts$/, '.js') : bench, import.meta.url));
  const result = spawnSync(process.execPath, compiled ? [file] : ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(failed === 0 ? '\nAll benchmark targets met.' : `\n${failed} benchmark(s) missed a target (see above).`);
process.exitCode = failed === 0 && chosen.length > 0 ? 0 : 1;
