import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Each benchmark runs in its own process, so peak memory and timings do not mix.
const benches = ['throughput.ts', 'memory.ts', 'sqlite-scale.ts', 'throttle-real-clock.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const bench of benches.filter((b) => only.length === 0 || only.some((o) => b.startsWith(o)))) {
  // Compiled (npm run bench): run the .js siblings with plain node; from source: through tsx.
  const compiled = import.meta.url.endsWith('.js');
  const file = fileURLToPath(new URL(compiled ? bench.replace(/\.ts$/, '.js') : bench, import.meta.url));
  const result = spawnSync(process.execPath, compiled ? [file] : ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(failed === 0 ? '\nAll benchmark targets met.' : `\n${failed} benchmark(s) missed a target (see above).`);
process.exitCode = failed === 0 ? 0 : 1;
