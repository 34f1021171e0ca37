// The generated sweep of `npm run bench:source`: RUNS runs x PER points of a loss-like curve per
// run, written straight into a metricgl store by DuckDB's own SQL (no browser and no file could
// hold 1e9 points; the ingest path is timed separately, on files, see ingest.mjs).
//
// The same curves are computed by `sweepRunJs` for the in-browser store on the same data (1e7,
// 1e8 points), from the same formulas (float64, rounded to float32 at the end; libm's exp/sin
// and V8's may differ in the last bit, which no frame time notices).
//
// Run s, logged order o = 0 .. PER-1:
//   step x = o, except restarted runs (s % 100 == 42): steps 0 .. 0.6 PER-1, then the run restarts
//     from its checkpoint at 0.55 PER and logs 0.55 PER .. 0.95 PER-1 again (the same steps
//     twice, later ones after the earlier in logged order, semantics.md "Order");
//   y = floor_s + 3 exp(-x rate_s / 2e5) + two sines (noise) + 4 at ~10 spikes per run,
//     NaN from 0.9 PER on in diverging runs (s % 50 == 49) and at isolated points;
//   time = 120 ms per logged point, wall = a per-run start (ms since 1970) + time.

export const RESTART_EVERY = 100;
export const RESTART_AT = 42;

/** The SQL expressions of one point, over columns `s` (run) and `o` (logged order). */
export function sweepSql(per) {
  const cut = Math.floor(per * 0.6), back = Math.floor(per * 0.05);
  const x = `(CASE WHEN s % ${RESTART_EVERY} = ${RESTART_AT} AND o >= ${cut} THEN o - ${back} ELSE o END)::DOUBLE`;
  const y = `CASE WHEN (s % 50 = 49 AND o >= ${Math.floor(per * 0.9)}) OR (o * 31 + s) % 250007 = 0 THEN 'NaN'::FLOAT ELSE
    ((1.5 + ((s * 37) % 100) / 200.0) + 3 * exp(-(${x}) * (0.5 + (s % 10) * 0.15) / 2e5)
      + 0.05 * sin((${x}) * 0.0007 + s) + 0.02 * sin(o * 0.13 + s * 1.7)
      + CASE WHEN (o + s * 7919) % 99991 = 0 THEN 4 ELSE 0 END)::FLOAT END`;
  return { x, y, time: 'o * 120.0', wall: `1.7e12 + s * 3.6e6 + o * 120.0` };
}

/** The fields of run s, as the explorer's filter sees them. */
export function sweepFields(s) {
  return { lr: String(0.5 + (s % 10) * 0.15), seed: String(Math.floor(s / 10) % 10) };
}

export const sweepRun = (s) => `sweep-${String(s).padStart(4, '0')}`;

/** Run s as arrays (the in-browser store's input): the formulas of sweepSql in JS. */
export function sweepRunJs(s, per) {
  // self-contained (the page evaluates this function's source): RESTART_EVERY and RESTART_AT inline
  const cut = Math.floor(per * 0.6), back = Math.floor(per * 0.05), nanFrom = Math.floor(per * 0.9);
  const restart = s % 100 === 42;
  const x = new Float64Array(per), y = new Float32Array(per);
  const floor = 1.5 + ((s * 37) % 100) / 200, rate = 0.5 + (s % 10) * 0.15;
  for (let o = 0; o < per; o++) {
    const xv = restart && o >= cut ? o - back : o;
    x[o] = xv;
    y[o] = (s % 50 === 49 && o >= nanFrom) || (o * 31 + s) % 250007 === 0 ? NaN
      : floor + 3 * Math.exp(-xv * rate / 2e5) + 0.05 * Math.sin(xv * 0.0007 + s) + 0.02 * Math.sin(o * 0.13 + s * 1.7) + ((o + s * 7919) % 99991 === 0 ? 4 : 0);
  }
  if (restart) {
    // store order is (x, logged order): the restarted stretch interleaves with the first pass
    const idx = Array.from({ length: per }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
    return { x: Float64Array.from(idx, (i) => x[i]), y: Float32Array.from(idx, (i) => y[i]) };
  }
  return { x, y };
}

/**
 * Fill `db` (a DuckDB connection to a store with metricgl's schema and no points yet) with the
 * sweep, `batch` runs per statement. Returns seconds taken.
 */
export async function writeSweep(db, runs, per, { batch = 10, log = () => {} } = {}) {
  const { x, y, time, wall } = sweepSql(per);
  const t0 = performance.now();
  for (let s0 = 0; s0 < runs; s0 += batch) {
    const s1 = Math.min(runs, s0 + batch);
    // only a batch holding a restarted run needs sorting: the others are generated in store order
    const restart = Array.from({ length: s1 - s0 }, (_, k) => s0 + k).some((s) => s % RESTART_EVERY === RESTART_AT);
    await db.run(`INSERT INTO points (series, x, ord, y, time, wall, epoch, file)
      SELECT s::INTEGER, ${x}, o, ${y}, ${time}, ${wall}, NULL, -1
      FROM (SELECT r // ${per} AS s, r % ${per} AS o FROM range(${s0 * per}, ${s1 * per}) t(r))${restart ? ' ORDER BY s, 2, o' : ''}`);
    if ((s1 / batch) % 10 === 0 || s1 === runs) log(`  sweep: ${s1}/${runs} runs written, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  for (let s = 0; s < runs; s++) {
    const f = sweepFields(s);
    const run = sweepRun(s);
    const key = `${run}\u0000loss\u0000lr=${f.lr}\u0000seed=${f.seed}`;
    await db.run('INSERT INTO series VALUES ($1, $2, $3, $4, $5::JSON, $6, $7, true, true, false)', [s, key, run, 'loss', JSON.stringify(f), per, per]);
  }
  return (performance.now() - t0) / 1000;
}
