/** Timing helpers of the gated timing tests (METRICGL_SERVER_BENCH=1): medians of repeated runs. */
export const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];

/** The median wall time of `reps` runs of `fn`, in ms. */
export async function time(fn: () => Promise<unknown>, reps: number): Promise<number> {
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}
