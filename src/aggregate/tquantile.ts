/**
 * Student's t quantile t(0.975, df) for the ci95 band (align.ts), from @stdlib, loaded on first
 * need: its code is ~400 KB, nine tenths of the decimation worker's bundle, and only a chart
 * asking for a ci95 band uses it. The worker loads it before the first message that needs it
 * (worker.ts keeps the messages in order meanwhile), the server before aggregating such a group.
 */
type Quantile = (p: number, df: number) => number;

let quantile: Quantile | null = null;
let loading: Promise<void> | null = null;
/** t(0.975, df) by df: a group's n changes little along its x */
const known = new Map<number, number>();

/** Load the implementation (once; later calls return the same promise). */
export function loadTQuantile(): Promise<void> {
  return (loading ??= import('@stdlib/stats-base-dists-t-quantile').then((m) => {
    quantile = (m as unknown as { default: Quantile }).default ?? (m as unknown as Quantile);
  }));
}

export function tQuantileLoaded(): boolean {
  return quantile !== null;
}

/** t(0.975, df); loadTQuantile() must have resolved. */
export function tQuantile975(df: number): number {
  let t = known.get(df);
  if (t === undefined) {
    if (!quantile) throw new Error('metricgl: the t quantile of a ci95 band is not loaded (await loadTQuantile() first)');
    known.set(df, (t = quantile(0.975, df)));
  }
  return t;
}
