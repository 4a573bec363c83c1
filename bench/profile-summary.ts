import { readFileSync } from 'node:fs';

// Sums up a CPU profile (from profile-distributor.ts) by layer: each sample's own function is
// charged to its package (node_modules), its mailwright folder (src/…), Node's internals, or
// V8 (garbage collector, idle, program). Usage: profile-summary.js <file.cpuprofile> <emails>

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
const [file, emails] = [process.argv[2] as string, Number(process.argv[3] ?? 5000)];
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const layerOf = ({ functionName, url }: ProfileNode['callFrame']): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg !== undefined) return pkg;
  const own = /\/src\/([^/]+(?:\/[^/]+)?)\//.exec(url)?.[1] ?? /\/src\/([^/]+)\.js/.exec(url)?.[1];
  if (own !== undefined) return `mailwright ${own}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[1] ?? url}`;
  return functionName.startsWith('(') ? functionName : `native ${functionName}`;
};
const byLayer = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const frame = frames.get(id);
  if (frame === undefined) return;
  const layer = layerOf(frame);
  byLayer.set(layer, (byLayer.get(layer) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const busy = [...byLayer].filter(([layer]) => layer !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
console.log(`busy ${(busy / emails).toFixed(0)} µs per email; by layer (µs per email, ≥ 3):`);
for (const [layer, us] of [...byLayer].sort((a, b) => b[1] - a[1])) if (us / emails >= 3) console.log(`  ${(us / emails).toFixed(1).padStart(7)}  ${layer}`);
