/** One measured figure and, when it has one, its target. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** Target the value should meet. */
  target?: { op: '<=' | '>='; value: number };
  /** Baseline measured in the same run, for the ratio. */
  baseline?: { name: string; value: number };
}

/** Prints figures as aligned lines with the ratio to the baseline and the target verdict. */
export function printFigures(title: string, figures: BenchFigure[]): boolean {
  console.log(`\n== ${title}`);
  let allMet = true;
  for (const f of figures) {
    const parts = [`${f.name}: ${round(f.value)} ${f.unit}`];
    if (f.baseline) parts.push(`baseline ${f.baseline.name}: ${round(f.baseline.value)} ${f.unit}, ratio ${round(f.value / f.baseline.value)}`);
    if (f.target) {
      const met = f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value;
      allMet &&= met;
      parts.push(`target ${f.target.op} ${f.target.value} ${f.unit}: ${met ? 'met' : 'NOT MET'}`);
    }
    console.log(`  ${parts.join(' | ')}`);
  }
  return allMet;
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

/** Milliseconds taken by `fn` (best of `runs`). */
export async function timeMs(fn: () => Promise<unknown> | unknown, runs = 1): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
