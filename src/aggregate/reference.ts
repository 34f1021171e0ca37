/**
 * The aggregation's definition written the plain way, in float64: the test oracle for
 * `align.ts` (docs/semantics.md, Aggregation). Every union x asks every run by binary search,
 * statistics by d3-array; no cursors, no reuse, no incremental path.
 */
import { deviation, mean, median } from 'd3-array';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { AggRun, AggParams } from './align';

export interface ReferenceAggregate {
  x: number[];
  line: number[];
  low: number[];
  high: number[];
  n: number[];
}

export function aggregateReference(runs: readonly AggRun[], p: AggParams): ReferenceAggregate {
  const xs = new Set<number>();
  for (const r of runs) for (let i = 0; i < r.n; i++) xs.add(r.x[i]);
  const out: ReferenceAggregate = { x: [...xs].sort((a, b) => a - b), line: [], low: [], high: [], n: [] };
  const ok = (v: number) => (p.log ? v > 0 && v < Infinity : Number.isFinite(v));
  for (const x of out.x) {
    const vals: number[] = [];
    for (const r of runs) {
      const xr = Array.from(r.x.subarray(0, r.n));
      const at = xr.lastIndexOf(x);
      let v = NaN;
      if (at >= 0) v = r.y[at];
      else if (r.n > 0 && x > xr[0] && x < xr[r.n - 1]) {
        const b = xr.findIndex((t) => t > x), a = b - 1;
        const ya = r.y[a], yb = r.y[b];
        if (ok(ya) && ok(yb)) {
          const t = (x - xr[a]) / (xr[b] - xr[a]);
          v = p.log ? 10 ** (Math.log10(ya) + (Math.log10(yb) - Math.log10(ya)) * t) : ya + (yb - ya) * t;
        }
      }
      if (ok(v)) vals.push(v);
    }
    const n = vals.length;
    out.n.push(n);
    if (!n) {
      out.line.push(NaN), out.low.push(NaN), out.high.push(NaN);
      continue;
    }
    const m = mean(vals)!;
    const line = p.line === 'median' ? median(vals)! : m;
    out.line.push(line);
    if (p.band === 'minmax') {
      out.low.push(Math.min(...vals)), out.high.push(Math.max(...vals));
    } else if (p.band === 'none' || n === 1) {
      out.low.push(line), out.high.push(line);
    } else {
      const s = deviation(vals)!;
      const half = p.band === 'std' ? s : (tQuantile(0.975, n - 1) * s) / Math.sqrt(n);
      out.low.push(m - half), out.high.push(m + half);
    }
  }
  return out;
}
