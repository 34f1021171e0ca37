// The report of `npm run bench:source`: targets (issue 12) checked against the figures, and a
// Markdown table of them.

const ms = (s) => (s ? s.median.toFixed(0) : '–');
const mb = (b) => (b === undefined ? '–' : (b / 2 ** 20).toFixed(2));
const rate = (r) => (r && r.points ? `${(r.points / r.seconds / 1e6).toFixed(2)}e6` : '–');

/** [{ target, measured, pass }] */
export function checkSourceTargets(out) {
  // the server's default path (the step files), or the blocks in a run without it
  const lod = out.views.steps ?? out.views.lod ?? {};
  const t = [];
  const zoomTarget = (n, limit) => {
    const r = lod[n];
    if (!r?.zoom) return;
    t.push({ target: `zoom, ${n} runs of ${out.sweep.per} points in view <= ${limit} ms`, measured: `${ms(r.zoom)} ms`, pass: r.zoom.median <= limit });
  };
  zoomTarget(10, 150);
  zoomTarget(1000, 1500);
  for (const [n, r] of Object.entries(lod)) {
    if (!r.bytes || !r.W) continue;
    const limit = 64 * r.W * Number(n);
    const worst = Math.max(...Object.values(r.bytes));
    t.push({ target: `bytes per view, ${n} runs <= 64 x ${r.W} columns x runs = ${limit}`, measured: String(worst), pass: worst <= limit });
  }
  const few = lod[10] ?? lod[1], many = lod[1000] ?? lod[100];
  if (few?.heapMB !== undefined && many?.heapMB !== undefined && many !== few) {
    // flat: what more runs in view add is their view's bytes, not their points
    const allowance = (2 * Math.max(...Object.values(many.bytes))) / 2 ** 20;
    t.push({
      target: `page heap flat: ${many.points ?? '?'} points in view vs ${few.points ?? '?'}: grows by at most twice the bytes of one view (${allowance.toFixed(1)} MB)`,
      measured: `${few.heapMB.toFixed(1)} -> ${many.heapMB.toFixed(1)} MB`,
      pass: many.heapMB - few.heapMB <= allowance,
    });
  }
  for (const kind of ['csv', 'jsonl']) {
    const r = out.ingest[kind];
    if (r?.points) t.push({ target: `ingest (${kind} files, metricgl ingest) >= 5e6 points/s`, measured: `${rate(r)} points/s`, pass: r.points / r.seconds >= 5e6 });
  }
  return t;
}

export function renderSourceReport(out) {
  const L = [];
  const m = out.machine ?? {};
  L.push(`# metricgl server benchmark (${out.started})`, '');
  L.push(`${m.cpu ?? '?'} x ${m.cores ?? '?'} cores, ${m.memoryGiB ?? '?'} GiB; ${m.browser ?? ''}; WebGL: ${m.renderer ?? '?'}${m.software ? ' (a CPU rasteriser: frame times here are CPU times, not a GPU\'s)' : ''}.`, '');
  const s = out.sweep;
  L.push(`Sweep: ${s.runs} runs x ${s.per} points = ${s.points.toExponential(1)} points (bench/source/sweep.mjs), in ${s.db}: ${(s.made.bytes / 2 ** 30).toFixed(1)} GiB on disk; written by DuckDB's SQL in ${s.made.generateS.toFixed(0)} s (${(s.points / s.made.generateS / 1e6).toFixed(2)}e6 points/s, not an ingest path), level-of-detail tables built in ${s.made.lodS.toFixed(0)} s${s.made.stepsS === undefined ? '' : `, step files written in ${s.made.stepsS.toFixed(0)} s`}.`, '');
  if (Object.keys(out.ingest).length) {
    L.push('## Ingest (`metricgl ingest`, whole command)', '', '| files | points | MB | s | points/s |', '| --- | --- | --- | --- | --- |');
    for (const [k, r] of Object.entries(out.ingest)) L.push(`| ${k} | ${r.points} | ${(r.bytes / 2 ** 20).toFixed(0)} | ${r.seconds.toFixed(2)} | ${rate(r)} |`);
    L.push('');
  }
  L.push('## Views (request to drawn frame, median ms; bytes received per view; page heap)', '');
  L.push('| path | runs in view | points in view | first | zoom | pan | bytes first / zoom / pan | heap MB |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  const row = (path, n, r) => r.skipped
    ? `| ${path} | ${n} | | ${r.skipped} | | | | |`
    : `| ${path} | ${n} | ${r.points ?? '–'} | ${ms(r.first)} | ${ms(r.zoom)} | ${ms(r.pan)} | ${r.bytes ? [r.bytes.first, r.bytes.zoom, r.bytes.pan].map((b) => b ?? '–').join(' / ') : '–'} | ${r.heapMB?.toFixed(1) ?? '–'}${r.error ? ` (${r.error})` : ''} |`;
  for (const [mode, byN] of Object.entries(out.views)) for (const [n, r] of Object.entries(byN)) L.push(row(`server, ${mode}`, n, r));
  for (const [n, r] of Object.entries(out.arrays)) L.push(row('in-browser store', n, r));
  L.push('', 'zoom: five steps in from the full range, each half as wide, centred on step 499,955 (kept inside the runs\' steps: at 1e5 steps a run, the right end); pan: the last window moved right by 10% of its width five times. In-browser bytes are the bytes its worker holds (x, y, pyramid), not bytes received.', '');
  if (out.hover && Object.keys(out.hover).length) {
    L.push('## Hover (`POST /api/hover` from node, request to answer, median of three cursors, ms)', '', '| path | runs | ms |', '| --- | --- | --- |');
    for (const [mode, byN] of Object.entries(out.hover)) for (const [n, r] of Object.entries(byN)) L.push(`| server, ${mode} | ${n} | ${r.median.toFixed(0)} |`);
    L.push('');
  }
  if (out.clickhouse) {
    const c = out.clickhouse;
    L.push(`## ClickHouse (${c.shards} local shards on this machine, clickhouse-server ${c.version ?? '18.16'})`, '');
    L.push(`The sweep copied from the DuckDB file (DuckDB writes TSV, ClickHouse reads it through the Distributed table; not an ingest path): ${c.copy.points} points in ${c.copy.seconds.toFixed(0)} s (${(c.copy.points / c.copy.seconds / 1e6).toFixed(2)}e6 points/s). The "server, clickhouse" rows above are views and hovers over it through the same page and API.`, '');
    L.push('Each shard\'s part of one view (in process, `m4QueryClickHouse`, median of CH_REPS; from each shard\'s `system.query_log`: the queries it ran for the view (each part of the statement that reads the Distributed table is one), the longest of them, rows read, bytes of its results sent to the server asked):', '');
    L.push('| view | total ms | ' + Array.from({ length: c.shards }, (_, i) => `shard ${i + 1}: queries / ms / rows read / result bytes`).join(' | ') + ' |', '| --- | --- | ' + Array.from({ length: c.shards }, () => '---').join(' | ') + ' |');
    for (const [k, r] of Object.entries(c.perShard ?? {})) L.push(`| ${k} | ${r.total.toFixed(0)} | ${r.shards.map((x) => `${x.queries} / ${x.ms} / ${x.rows} / ${x.resultBytes}`).join(' | ')} |`);
    L.push('');
  }
  L.push('## Targets', '', '| target | measured | |', '| --- | --- | --- |');
  for (const t of out.targets) L.push(`| ${t.target} | ${t.measured} | ${t.pass ? 'pass' : 'NOT met'} |`);
  L.push('');
  return L.join('\n');
}
