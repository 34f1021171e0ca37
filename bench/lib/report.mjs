// Markdown for the comparison: one table per scenario (rows: figures, columns: libraries, then
// metricgl divided by each peer), the machine, and the issue's targets checked.

const ROWS = [
  ['first', 'first frame: data to a mounted chart (ms)'],
  ['cold', 'first frame with chart creation, fresh page (ms)'],
  ['zoom', 'zoom frame (ms)'],
  ['pan', 'pan frame (ms)'],
  ['smooth', 'smoothing change (ms)'],
  ['append', 'append 1 pt x min(100, runs) (ms)'],
];

const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function cell(step, reps) {
  if (!step) return '–';
  if (step.status) return step.status;
  const n = step.n < reps ? ` (n=${step.n})` : '';
  return `${f(step.median)} [${f(step.min)}–${f(step.max)}]${n}`;
}

/** metricgl / peer, from medians; a peer that timed out gives an upper bound. */
function ratio(mine, theirs, limitMs) {
  if (!mine || mine.status || !theirs) return '–';
  if (theirs.status === 'timeout') return `< ${(mine.median / limitMs).toPrecision(2)}`;
  if (theirs.status) return '–';
  const r = mine.median / theirs.median;
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
}

export function scenarioTable(sc, libs, reps, limitMs) {
  const res = sc.results;
  const peers = libs.filter((l) => l !== 'metricgl' && res[l]);
  const cols = libs.filter((l) => res[l]);
  const name = (l) => res[l].name ?? l;
  const head = ['', ...cols.map(name), ...(res.metricgl ? peers.map((p) => `mgl/${name(p)}`) : [])];
  const lines = [
    `### ${sc.label}${sc.data ? ` — ${sc.data.runs} run(s), ${sc.data.points.toLocaleString('en')} points` : ''}`,
    '',
    `| ${head.join(' | ')} |`,
    `| --- | ${head.slice(1).map(() => '---:').join(' | ')} |`,
  ];
  for (const [key, label] of ROWS) {
    const row = [label, ...cols.map((l) => cell(res[l].steps[key], reps))];
    if (res.metricgl) row.push(...peers.map((p) => ratio(res.metricgl.steps[key], res[p].steps[key], limitMs)));
    lines.push(`| ${row.join(' | ')} |`);
  }
  const heap = (l) => (res[l].heapMB == null ? '–' : res[l].heapMB.toFixed(1));
  const heapRow = ['JS heap after load (MB, page)', ...cols.map(heap)];
  if (res.metricgl) {
    // metricgl's points live in its worker: the ratio counts its page heap plus its worker store
    const mine = res.metricgl.heapMB == null ? null : res.metricgl.heapMB + (res.metricgl.info?.bytes ?? 0) / 2 ** 20;
    heapRow.push(...peers.map((p) => (mine != null && res[p].heapMB > 0 ? `${(mine / res[p].heapMB).toFixed(2)}*` : '–')));
  }
  lines.push(`| ${heapRow.join(' | ')} |`);
  const info = res.metricgl?.info;
  if (info) {
    const pad = cols.length - 1 + (res.metricgl ? peers.length : 0);
    lines.push(`| metricgl worker store (MB; bytes/point) | ${(info.bytes / 2 ** 20).toFixed(1)}; ${info.bytesPerPoint.toFixed(2)} |${' |'.repeat(pad)}`);
    // metricgl's own account of its zoom frames: how much was the worker, how much drawing
    const z = res.metricgl.frames?.zoom;
    if (z?.length) {
      const mid = (k) => [...z.map((f) => f[k])].sort((a, b) => a - b)[z.length >> 1];
      lines.push(`| metricgl zoom: worker ms; GPU primitives | ${f(mid('workerMs'))}; ${mid('primitives')} |${' |'.repeat(pad)}`);
    }
  }
  return lines.join('\n');
}

export function machineText(m) {
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; headless ${m.browser} (Playwright).`,
    `WebGL renderer: ${m.renderer}.` +
      (m.software
        ? ' This is SwiftShader, a CPU rasteriser: there is no GPU here, so "GPU" time is CPU time on the same cores as the page and the worker. Canvas2D peers (uPlot, ECharts, Chart.js) rasterise on the CPU too, so the comparison is CPU against CPU; on a real GPU metricgl\'s and Plotly\'s draw time shrinks, the Canvas2D peers\' does not.'
        : ''),
  ].join('\n');
}

const get = (results, sc, lib) => results.find((s) => s.name === sc)?.results[lib];
const med = (r, op) => (r && r.steps[op] && !r.steps[op].status ? r.steps[op].median : null);

/** The issue's targets on this machine, each with the values it compared. */
export function checkTargets(results, limitMs) {
  const out = [];
  const cmp = (label, a, b, test, show) => {
    if (a == null || b === undefined) out.push({ target: label, measured: 'not measured', pass: null });
    else out.push({ target: label, measured: show, pass: test });
  };
  const mz = (sc) => med(get(results, sc, 'metricgl'), 'zoom');
  const uz = (sc) => {
    const r = get(results, sc, 'uplot');
    if (r?.steps.zoom?.status === 'timeout') return limitMs; // uPlot took longer than the limit
    return med(r, 'zoom');
  };
  {
    const a = mz('1x1e7'), b = uz('1x1e7');
    cmp('zoom frame at 1e7 points <= 0.5 x uPlot', a, b ?? undefined, a <= 0.5 * b, `metricgl ${f(a ?? NaN)} ms, uPlot ${f(b ?? NaN)} ms (ratio ${((a ?? NaN) / (b ?? NaN)).toFixed(2)})`);
  }
  for (const sc of ['100x1e5', '1000x1e4']) {
    const a = mz(sc), b = uz(sc);
    cmp(`zoom frame ${sc.replace('x', ' x ')} < uPlot`, a, b ?? undefined, a < b, `metricgl ${f(a ?? NaN)} ms, uPlot ${f(b ?? NaN)} ms (ratio ${((a ?? NaN) / (b ?? NaN)).toFixed(2)})`);
  }
  for (const [op, label] of [['first', 'first frame at 1e7 points (data to a mounted chart) <= 2 x uPlot'], ['cold', 'first frame at 1e7 points with chart creation (fresh page) <= 2 x uPlot']]) {
    const a = med(get(results, '1x1e7', 'metricgl'), op);
    const r = get(results, '1x1e7', 'uplot');
    const b = r?.steps[op]?.status === 'timeout' ? limitMs : med(r, op);
    cmp(label, a, b ?? undefined, a <= 2 * b, `metricgl ${f(a ?? NaN)} ms, uPlot ${f(b ?? NaN)} ms (ratio ${((a ?? NaN) / (b ?? NaN)).toFixed(2)})`);
  }
  {
    const a = mz('1x1e7'), b = mz('1x1e5');
    const ua = uz('1x1e7'), ub = uz('1x1e5');
    const ug = ua != null && ub != null ? `; uPlot grows ${(ua / ub).toFixed(1)}x (${f(ub)} -> ${f(ua)} ms)` : '';
    cmp('metricgl zoom frame at 1e7 <= 2 x at 1e5', a, b ?? undefined, a <= 2 * b, `${f(b ?? NaN)} -> ${f(a ?? NaN)} ms (${((a ?? NaN) / (b ?? NaN)).toFixed(2)}x)${ug}`);
  }
  {
    const per = results.map((s) => [s.name, s.results.metricgl?.info?.bytesPerPoint]).filter(([, v]) => v != null);
    const worst = Math.max(...per.map(([, v]) => v));
    cmp('memory held per point (x, y, pyramid) <= 16 bytes', per.length ? worst : null, 0, worst <= 16, per.map(([n, v]) => `${n}: ${v.toFixed(2)}`).join(', '));
  }
  return out;
}

/** The whole markdown of a comparison run (bench-latest.md) from its JSON. */
export function renderMarkdown(json) {
  const { machine, config, scenarios: results, targets } = json;
  const { reps, firstFrameReps: ffReps, limitS, libs, quick } = config;
  return [
    `## metricgl vs peers${quick ? ' (QUICK run)' : ''}`,
    '',
    machineText(machine),
    '',
    `${json.date.slice(0, 10)}, ${config.minutes.toFixed(0)} minutes, metricgl: dist/metricgl.js ${config.metricgl ? `built ${config.metricgl.builtAt.slice(11, 16)} UTC at ${config.metricgl.commit} (sha1 ${config.metricgl.sha1})` : ''}. Median of ${reps} repetitions [min–max] per figure (first frame: ${ffReps} fresh page(s) each way; ` +
      `one that takes over 10 s is measured once); "(n=k)" where fewer ran within 30 s. Each time runs from the call to the next ` +
      `animation frame after the library reports the frame drawn (Plotly: after a pixel read, since its promise resolves before SwiftShader has drawn). ` +
      `First frame, two ways: the data handed to a chart mounted (empty, drawn) beforehand, as an explorer panel waits for its data; and chart creation plus data in one step ` +
      `on a fresh page, which also counts a library's page-level setup (metricgl: its WebGL context and worker). ` +
      `Zoom: wheel steps in from the full view, 10% narrower each (90% to 59% of the x range in view); pan: that window dragged 2% of the range per rep; ` +
      `smoothing: a new EMA weight in the full view (peers: TensorBoard's EMA in JS over every point, curves handed over again). ` +
      `Per-step limit ${limitS} s: "timeout" means the library had not drawn by then (its remaining figures are "not run"). ` +
      `Ratio columns: metricgl median / peer median, same run (below 1: metricgl faster or smaller). ` +
      `Heap: performance.memory.usedJSHeapSize after two forced GCs, above the empty page (array buffers included); metricgl keeps its points in a worker ` +
      `(its store is the row below), so its heap ratios (*) count page heap plus worker store. Every library draws 1-px lines; with smoothing only ` +
      `the smoothed curves (metricgl: showRaw off). Times are quantised by display frames (16.7 ms).`,
    '',
    ...results.map((sc) => scenarioTable(sc, libs, reps, limitS * 1000) + '\n'),
    '### Targets (issue 5)',
    '',
    targetsTable(targets),
    '',
  ].join('\n');
}

export function targetsTable(targets) {
  return [
    '| target | measured | result |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.pass == null ? 'not measured' : t.pass ? 'pass' : 'FAIL'} |`),
  ].join('\n');
}
